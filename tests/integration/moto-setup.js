// Starts moto_server on a free loopback port (unless MOTO_ENDPOINT names a running one) and waits until it answers.
const { spawn } = require('node:child_process');
const net = require('node:net');

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitFor(endpoint, deadline) {
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`moto_server did not answer at ${endpoint}`);
}

module.exports = async () => {
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-east-1' });
  if (!process.env.MOTO_ENDPOINT) {
    const port = await freePort();
    const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore', detached: false });
    globalThis.__MOTO__ = child;
    process.env.MOTO_ENDPOINT = `http://127.0.0.1:${port}`;
  }
  await waitFor(process.env.MOTO_ENDPOINT, Date.now() + 30000);
};
