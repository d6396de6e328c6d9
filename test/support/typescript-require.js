'use strict';
/**
 * Lets a plain Node child process (see kill9-writer.js) require the project's TypeScript sources
 * directly, by transpiling each .ts file on load. No type checking: jest and tsc do that.
 */
const fs = require('node:fs');
const ts = require('typescript');

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
};

function registerTypeScript() {
  // Registering the extension also makes extensionless requires ('./port') find .ts files.
  require.extensions['.ts'] = (module, filename) => {
    const source = fs.readFileSync(filename, 'utf8');
    const { outputText } = ts.transpileModule(source, { fileName: filename, compilerOptions });
    module._compile(outputText, filename);
  };
}

module.exports = { registerTypeScript };
