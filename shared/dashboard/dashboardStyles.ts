/** Inline styles: the page must render with no network. Status is always in words too, never colour alone. */
export const dashboardStyles = `
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}
header{background:#14324f;color:#fff;padding:1rem 2rem}header h1{margin:0 0 .25rem}header a{color:#cfe3ff}
main{padding:1rem 2rem;max-width:1200px}
section{margin-bottom:2rem}
table{border-collapse:collapse;width:100%;background:#fff;margin:.5rem 0}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border:1px solid #d0d7de;padding:.35rem .5rem;text-align:left;vertical-align:top;font-size:.92rem}
th{background:#eef2f6}
.attention{background:#fde8e8;border-left:6px solid #b42318;padding:.6rem 1rem}
.warning{background:#fff4e5;border-left:6px solid #b54708;padding:.6rem 1rem}
.ok{background:#e7f6ec;border-left:6px solid #067647;padding:.6rem 1rem}
.bad{color:#b42318}
.sev-critical,.sev-high{color:#b42318;font-weight:600}.sev-medium{color:#b54708}.sev-low,.sev-info{color:#344054}
.empty{color:#475467;font-style:italic}
.filters label{margin-right:1rem}
form.act{margin:0}form.act input{width:8rem}form.act button{margin:.1rem 0}
svg .bar.urgent{fill:#b42318}svg .bar.soon{fill:#dc6803}svg .bar.later{fill:#2e90fa}svg text{font-size:11px;fill:#1b1b1b}
`;
