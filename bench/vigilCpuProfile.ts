/**
 * VIGIL_CPU_PROF=<dir>: the bench child that runs Vigil's handlers writes its CPU profile there. `node --cpu-prof`
 * on a bench's entry script profiles only that parent, which runs none of Vigil's code, and Node refuses
 * `--cpu-prof` in NODE_OPTIONS.
 */
const profile = process.env.VIGIL_CPU_PROF;

/** The options that make a child write its CPU profile into VIGIL_CPU_PROF, when set. */
export const vigilCpuProfileArgs: readonly string[] = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];

/** Options a child of the profiled process runs with: its parent's, without the profile (it is not Vigil). */
export const withoutCpuProfile = (execArgv: readonly string[]): string[] => execArgv.filter((a) => !a.startsWith('--cpu-prof'));

/** AZURITE_CPU_PROF=<dir>: the benches' Azurite writes its CPU profile there (startAzurite's options). */
const azuriteProfile = process.env.AZURITE_CPU_PROF;

/** startAzurite's options that profile Azurite into AZURITE_CPU_PROF, when set. */
export const azuriteCpuProfile: { nodeArgs?: readonly string[] } = azuriteProfile
  ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${azuriteProfile}`] }
  : {};
