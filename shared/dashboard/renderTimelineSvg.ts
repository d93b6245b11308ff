import { escapeHtml } from '../helpers/escapeHtml.js';

const WIDTH = 720;
const HEIGHT = 140;
const DAYS = 90;

/**
 * Credential end dates over the next 90 days (`weeks`: how many end in each week from today, 13 of them) as an inline SVG bar per week, so bunching shows at a
 * glance. Drawn on the server: the page needs no script and no CDN. Bars carry their counts as text
 * and a title, so the chart reads without colour.
 */
export function renderTimelineSvg(weeks: readonly number[]): string {
  const max = Math.max(1, ...weeks);
  const barWidth = WIDTH / weeks.length;
  const bars = weeks
    .map((count, i) => {
      const h = Math.round((count / max) * (HEIGHT - 40));
      const x = Math.round(i * barWidth);
      const label = `Days ${i * 7}–${i * 7 + 6}: ${count} credential${count === 1 ? '' : 's'} end`;
      return (
        `<g><title>${escapeHtml(label)}</title>` +
        `<rect x="${x + 4}" y="${HEIGHT - 20 - h}" width="${Math.round(barWidth) - 8}" height="${h}" class="${i < 1 ? 'bar urgent' : i < 5 ? 'bar soon' : 'bar later'}"/>` +
        (count > 0 ? `<text x="${x + barWidth / 2}" y="${HEIGHT - 24 - h}" text-anchor="middle">${count}</text>` : '') +
        `<text x="${x + barWidth / 2}" y="${HEIGHT - 5}" text-anchor="middle" class="axis">${i * 7}d</text></g>`
      );
    })
    .join('');
  return `<svg role="img" aria-labelledby="timeline-title" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" height="${HEIGHT}" xmlns="http://www.w3.org/2000/svg"><title id="timeline-title">Credential end dates per week over the next ${DAYS} days</title>${bars}</svg>`;
}
