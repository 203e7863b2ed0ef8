import { createHash } from 'node:crypto';

/**
 * The one stylesheet of the consumer pages (about 1.5 KB gzip), served at {@link PAGE_STYLE_PATH}
 * with a content hash in its name, so a phone loads it once and caches it for good: each scan page
 * then sends half the bytes (measured: socket writes were a quarter of the page's CPU with the
 * stylesheet inline). Previews and tests inline it. Mobile first, one
 * column of at most 480px, system fonts with the common Chinese faces of iOS, Windows, Android
 * and Linux. No inline `style` attributes anywhere, so a CSP with a style nonce is enough.
 *
 * Colours are picked for at least 4.5:1 contrast for text: white on the verdict bands (green
 * #0b7040, amber #a34f06, red #b3261e), #4b5563 for secondary text on white and on #f2f4f7.
 */
export const PAGE_STYLE = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:#f2f4f7;color:#1f2329;font:16px/1.6 -apple-system,BlinkMacSystemFont,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei","Helvetica Neue",Arial,sans-serif;overflow-wrap:anywhere}
[hidden]{display:none!important}
a{color:#1554c0}
:focus-visible{outline:3px solid #1554c0;outline-offset:2px}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.top{display:flex;align-items:center;justify-content:space-between;gap:8px;max-width:480px;margin:0 auto;padding:4px 12px}
.brand{display:flex;align-items:center;gap:6px;font-size:15px;font-weight:600;color:#1f2329}
.brand svg{width:22px;height:22px;color:#0b7040;flex:none}
.lang{display:inline-flex;align-items:center;min-height:44px;padding:0 12px;color:#1554c0;font-size:14px;text-decoration:none}
.lang span{border:1px solid #c9ced6;border-radius:999px;padding:2px 12px;background:#fff}
main{display:block;max-width:480px;margin:0 auto;padding:0 12px 8px}
.card{background:#fff;border-radius:12px;margin:0 0 12px;padding:16px;box-shadow:0 1px 2px rgba(16,24,40,.06)}
h1,h2,h3{line-height:1.35;margin:0}
h2{font-size:17px;margin-bottom:12px;padding-left:10px;border-left:3px solid #0b7040}
h3{font-size:15px;margin:16px 0 8px}
p{margin:0 0 12px}
.muted{color:#4b5563;font-size:14px}
.v{border-radius:12px;overflow:hidden;background:#fff;margin:0 0 12px;box-shadow:0 1px 2px rgba(16,24,40,.06)}
.v-head{padding:22px 16px 20px;text-align:center;color:#fff;background:#0b7040}
.v-warn .v-head{background:#a34f06}
.v-bad .v-head{background:#b3261e}
.v-icon{display:flex;align-items:center;justify-content:center;width:60px;height:60px;margin:0 auto 10px;border-radius:50%;background:#fff;color:#0b7040}
.v-warn .v-icon{color:#a34f06}
.v-bad .v-icon{color:#b3261e}
.v-icon svg{width:36px;height:36px}
.v-head h1{font-size:22px;letter-spacing:.02em}
.v-sub{margin:6px 0 0;font-size:14px;opacity:.95}
.v-body{padding:16px}
.record{margin:0 0 14px;padding:12px 14px;border-radius:8px;background:#eef7f1;color:#0b5a34}
.v-warn .record{background:#fdf3e7;color:#7a3b04}
.v-bad .record{background:#fcecea;color:#8c1d16}
.record p{margin:0}
.record-label{display:block;font-size:14px}
.record-time{font-size:19px;font-weight:700;font-variant-numeric:tabular-nums}
.record-count{margin-top:2px!important;font-weight:600}
.advice{padding:10px 12px;border-radius:8px;background:#fdf3e7;color:#7a3b04;font-weight:600}
.reasons{margin:0 0 12px;padding:10px 12px 10px 30px;border-radius:8px;background:#fdf3e7;color:#5c2c03}
.reasons li+li{margin-top:4px}
.prompt{margin:14px 0 0;padding:10px 12px;border-radius:8px;background:#f5f7fa;font-size:15px}
.prompt strong{display:block;font-size:13px;color:#4b5563}
.prompt p{margin:0;white-space:pre-line}
.facts{display:grid;grid-template-columns:fit-content(40%) minmax(0,1fr);gap:8px 14px;margin:0;font-size:15px}
.facts dt{color:#4b5563}
.facts dd{margin:0}
@media (max-width:359px){.facts{grid-template-columns:minmax(0,1fr);gap:0}.facts dt{font-size:14px;margin-top:8px}.facts dt:first-child{margin-top:0}}
.v-body .facts{margin-top:14px;padding-top:14px;border-top:1px solid #eceef2}
.code{font-variant-numeric:tabular-nums;letter-spacing:.04em;font-weight:600}
.actions{display:flex;flex-wrap:wrap;gap:8px;margin:14px 0 0}
.actions .btn{flex:1 1 auto}
.row{display:flex;gap:8px}
.row input{flex:1 1 auto;min-width:0;letter-spacing:.1em}
.row .btn{flex:none}
.btn{display:inline-flex;align-items:center;justify-content:center;min-height:44px;padding:8px 18px;border-radius:8px;border:1px solid #1554c0;background:#1554c0;color:#fff;font:inherit;font-weight:600;text-decoration:none;cursor:pointer}
.btn-2{background:#fff;color:#1554c0}
.btn-block{width:100%}
.code-input{font-size:19px;letter-spacing:.06em;font-variant-numeric:tabular-nums}
.btn:disabled{opacity:.6;cursor:default}
.pos{margin-top:12px}
.pos p{margin:8px 0 0}
.product-head{display:flex;gap:14px;align-items:center}
.product-head img{flex:none;width:96px;height:96px;object-fit:contain;border-radius:8px;background:#f5f7fa}
.product-head h1,.product-head h2{font-size:18px;border:0;padding:0;margin:0}
.product-head p{margin:4px 0 0}
.product .facts,.desc{margin-top:14px}
.desc{white-space:pre-line}
.quals{list-style:none;margin:0;padding:0}
.quals li{display:flex;gap:10px;padding:10px 0;border-top:1px solid #eceef2}
.quals svg{flex:none;width:20px;height:20px;margin-top:2px;color:#0b7040}
.quals strong{display:block}
.quals span{display:block;color:#4b5563;font-size:14px}
.links{list-style:none;margin:0;padding:0}
.links a{display:flex;align-items:center;justify-content:space-between;min-height:48px;padding:8px 0;border-top:1px solid #eceef2;color:#1f2329;text-decoration:none;font-weight:500}
.links li:first-child a{border-top:0}
.links a::after{content:"›";color:#4b5563;font-size:22px;line-height:1;padding-left:12px}
details summary{display:flex;align-items:center;justify-content:space-between;min-height:44px;cursor:pointer;list-style:none}
details summary::-webkit-details-marker{display:none}
details summary::after{content:"+";font-size:24px;line-height:1;color:#4b5563}
details[open] summary::after{content:"−"}
details summary h2{margin:0}
details[open] summary{margin-bottom:8px}
.field{margin:0 0 14px}
label{display:block;font-weight:600;margin-bottom:4px}
.hint{display:block;color:#4b5563;font-size:14px;margin:-2px 0 6px}
input,textarea{display:block;width:100%;min-height:44px;padding:9px 12px;border:1px solid #8a919c;border-radius:8px;background:#fff;color:#1f2329;font:inherit}
input[type=file]{padding:8px;font-size:14px}
textarea{min-height:88px;resize:vertical}
input[aria-invalid=true]{border-color:#b3261e}
.error{padding:10px 12px;border-radius:8px;background:#fcecea;color:#8c1d16;font-weight:600}
.page-icon{display:flex;align-items:center;justify-content:center;width:56px;height:56px;margin:8px auto 12px;border-radius:50%;background:#eef2f7;color:#1554c0}
.page-icon svg{width:32px;height:32px}
.page-icon.ok{background:#eef7f1;color:#0b7040}
.card>h1{font-size:20px;margin-bottom:8px}
.steps{list-style:none;margin:12px 0 0;padding:0 0 0 14px;border-left:2px solid #d9dee7}
.steps li{position:relative;margin:0 0 12px;display:flex;flex-direction:column;gap:2px}
.steps li::before{content:"";position:absolute;left:-20px;top:6px;width:10px;height:10px;border-radius:50%;background:#316464}
.step-stage{font-size:12px;color:#316464;font-weight:600}
.trace .muted+.steps{margin-top:8px}
.simple{text-align:center;padding:24px 16px}
.simple h1{font-size:20px;margin-bottom:10px}
.simple .actions{justify-content:center}
footer{max-width:480px;margin:0 auto;padding:4px 16px 28px;text-align:center;color:#4b5563;font-size:13px}
footer p{margin:0}
footer a{display:inline-flex;align-items:center;min-height:44px;color:#4b5563}
`
  .replace(/\n/g, '')
  .trim();

/** The stylesheet's URL: its content hash in the name, so it can be cached forever. */
export const PAGE_STYLE_PATH = `/c/assets/page-${createHash('sha256').update(PAGE_STYLE).digest('hex').slice(0, 12)}.css`;
