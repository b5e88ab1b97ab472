// Debian's Chromium for every browser run (web-test-runner, Storybook tests, end-to-end tests,
// benchmarks): as root it needs --no-sandbox, and on a closed network the background services must be
// off. No tool downloads a browser of its own.
export const chromiumPath = process.env.CHROME_PATH ?? '/usr/bin/chromium';

export const chromiumArgs = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
