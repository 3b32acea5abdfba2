/** Debian's Chromium, which .ci/run installs with apt; never a test tool's own download. */
export const CHROMIUM_PATH = process.env.SITREP_CHROMIUM ?? '/usr/bin/chromium';
