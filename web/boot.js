// Loads the dfharden WebAssembly module. Kept outside index.html so that the page's
// Content-Security-Policy can forbid inline scripts.
import init from './dfharden-web.js';

await init({ module_or_path: new URL('./dfharden-web_bg.wasm', import.meta.url) });
