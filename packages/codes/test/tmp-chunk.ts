import { CodeSpaceCodec } from '@tracemark/codes';
import { createNodeAes } from './support/node-aes.js';
const aes = createNodeAes(new Uint8Array(32).fill(9));
const codec = new CodeSpaceCodec({ layout: 17, prefix: '12345', cipher: aes });
const N = 16384; let sink = 0;
const rates: number[] = [];
codec.encodeBatch(0, N);
for (let r = 0; r < 25; r++) { const c0 = process.cpuUsage(); const t0 = performance.now(); let n = 0;
  while (performance.now() - t0 < 100) { sink += codec.encodeBatch(n % 1e9, N).length; n += N; }
  const c = process.cpuUsage(c0); rates.push(n / ((c.user + c.system) / 1e6)); }
rates.sort((a, b) => a - b);
console.log(process.argv[2], 'median', (rates[12]! / 1e6).toFixed(2), 'best', (rates[24]! / 1e6).toFixed(2), sink > 0);
