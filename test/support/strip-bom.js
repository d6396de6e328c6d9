// CommonJS stand-in for the ESM-only `strip-bom`, which @microsoft/app-manifest requires and jest cannot load on Node 20.
module.exports = (text) => (typeof text === 'string' && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
module.exports.default = module.exports;
