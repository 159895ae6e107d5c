'use strict';
// Static analysis of script sources with a real parser (acorn): module validation, the transform that
// gives `this` to arrow functions, and the references bindings make (for the page-load planner).
// Shipped beside this file by the engine; resolved from node_modules when run from the source tree.
const acorn = (() => { try { return require('./acorn.js'); } catch { return require('acorn'); } })();

const ECMA = 2022;
const DEFAULT_NAME = '__lcDefault';

class AnalysisError extends Error {
  constructor(message, line, column) {
    super(message);
    this.line = line;
    this.column = column;
  }
}

function syntaxError(e, lineShift = 0, columnShiftOnFirstLine = 0) {
  if (e && e.loc) {
    const line = e.loc.line + lineShift;
    const column = e.loc.column + 1 - (e.loc.line === 1 ? columnShiftOnFirstLine : 0);
    const message = String(e.message).replace(/ \(\d+:\d+\)$/, '');
    return new AnalysisError(message, line, column);
  }
  return new AnalysisError(String(e && e.message || e), 1, 1);
}

function at(node, message) {
  return new AnalysisError(message, node.loc.start.line, node.loc.start.column + 1);
}

// Walks every node, calling visit(node, parent). Keys holding positions and raw text are skipped.
function walk(node, visit, parent = null) {
  if (!node || typeof node.type !== 'string') return;
  if (visit(node, parent) === false) return;
  for (const key of Object.keys(node)) {
    if (key === 'loc' || key === 'start' || key === 'end' || key === 'raw' || key === 'regex') continue;
    const value = node[key];
    if (Array.isArray(value)) {
      for (const child of value) walk(child, visit, node);
    } else if (value && typeof value.type === 'string') {
      walk(value, visit, node);
    }
  }
}

function forbidden(root) {
  let found = null;
  walk(root, (node) => {
    if (found) return false;
    if (node.type === 'ImportExpression') found = at(node, 'import() is not available in scripts: all I/O goes through queries');
    else if (node.type === 'MetaProperty' && node.meta.name === 'import') found = at(node, 'import.meta is not available in scripts');
    return undefined;
  });
  if (found) throw found;
}

// Names bound anywhere inside `root` (parameters, declarations, catch clauses). An approximation of scope:
// a reference whose root name is bound somewhere in the same function is not a reference to an entity.
function boundNames(root) {
  const names = new Set();
  const addPattern = (p) => {
    if (!p) return;
    switch (p.type) {
      case 'Identifier': names.add(p.name); break;
      case 'ObjectPattern': for (const prop of p.properties) addPattern(prop.type === 'RestElement' ? prop.argument : prop.value); break;
      case 'ArrayPattern': for (const el of p.elements) addPattern(el); break;
      case 'RestElement': addPattern(p.argument); break;
      case 'AssignmentPattern': addPattern(p.left); break;
      default: break;
    }
  };
  walk(root, (node) => {
    if (node.type === 'VariableDeclarator') addPattern(node.id);
    else if (node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression') {
      if (node.id) names.add(node.id.name);
      for (const p of node.params) addPattern(p);
    } else if (node.type === 'CatchClause') addPattern(node.param);
    else if (node.type === 'ClassDeclaration' && node.id) names.add(node.id.name);
    return undefined;
  });
  return names;
}

// Member chains rooted at free identifiers: `getusers_API.data.results` → ['getusers_API', 'data', 'results'].
function references(root) {
  const bound = boundNames(root);
  const refs = [];
  const seen = new Set();
  const add = (path) => {
    const key = path.join('.');
    if (!seen.has(key)) { seen.add(key); refs.push(path); }
  };
  walk(root, (node, parent) => {
    if (node.type === 'MemberExpression') {
      if (parent && parent.type === 'MemberExpression' && parent.object === node) return undefined;
      const path = [];
      let cur = node;
      while (cur.type === 'MemberExpression') {
        if (!cur.computed) path.unshift(cur.property.name);
        else if (cur.property.type === 'Literal' && typeof cur.property.value === 'string') path.unshift(cur.property.value);
        else path.length = 0; // a dynamic segment: keep only what precedes it
        cur = cur.object;
      }
      if (cur.type === 'Identifier' && !bound.has(cur.name)) add([cur.name, ...path]);
      return undefined;
    }
    if (node.type === 'Identifier' && parent) {
      const isPropertyName = (parent.type === 'MemberExpression' && ((parent.property === node && !parent.computed) || parent.object === node))
        || (parent.type === 'Property' && parent.key === node && !parent.computed && !parent.shorthand)
        || (parent.type === 'MethodDefinition' && parent.key === node)
        || (parent.type === 'PropertyDefinition' && parent.key === node);
      if (!isPropertyName && !bound.has(node.name)) add([node.name]);
    }
    return undefined;
  });
  return refs;
}

function memberName(prop) {
  if (prop.computed) throw at(prop, 'computed member names are not supported in the default export');
  if (prop.key.type === 'Identifier') return prop.key.name;
  if (prop.key.type === 'Literal') return String(prop.key.value);
  throw at(prop, 'unsupported member name');
}

// Parses `export default { ... }` code. Returns its members (name, function or value, async) with the
// references each function makes, and `transformed`: the body of a function that returns the object,
// evaluated with `this` bound to the object so arrow functions see it too.
function analyzeModule(code) {
  let program;
  try {
    program = acorn.parse(code, { ecmaVersion: ECMA, sourceType: 'module', locations: true, allowHashBang: false });
  } catch (e) {
    throw syntaxError(e);
  }
  forbidden(program);
  let exported = null;
  for (const stmt of program.body) {
    if (stmt.type === 'ImportDeclaration') throw at(stmt, 'import is not available in scripts: all I/O goes through queries');
    if (stmt.type === 'ExportNamedDeclaration' || stmt.type === 'ExportAllDeclaration') throw at(stmt, 'only `export default { ... }` is supported');
    if (stmt.type === 'ExportDefaultDeclaration') {
      if (exported) throw at(stmt, 'more than one `export default`');
      exported = stmt;
    }
  }
  if (!exported) throw new AnalysisError('the code must `export default { ... }` an object', 1, 1);
  const decl = exported.declaration;
  if (decl.type !== 'ObjectExpression') throw at(decl, '`export default` must be an object literal: export default { ... }');
  let awaitAtTop = null;
  walk(program, (node) => {
    if (awaitAtTop) return false;
    if (node.type === 'FunctionExpression' || node.type === 'FunctionDeclaration' || node.type === 'ArrowFunctionExpression') return false;
    if (node.type === 'AwaitExpression' || (node.type === 'ForOfStatement' && node.await)) awaitAtTop = node;
    return undefined;
  });
  if (awaitAtTop) throw at(awaitAtTop, 'top-level await is not supported; use it inside a function');

  const members = [];
  for (const prop of decl.properties) {
    if (prop.type === 'SpreadElement') throw at(prop, 'spread is not supported in the default export');
    const name = memberName(prop);
    const value = prop.value;
    const isFunction = prop.method || value.type === 'FunctionExpression' || value.type === 'ArrowFunctionExpression';
    if (prop.kind === 'get' || prop.kind === 'set') throw at(prop, 'getters and setters are not supported in the default export');
    members.push({
      name,
      kind: isFunction ? 'function' : 'value',
      async: Boolean(isFunction && value.async),
      refs: isFunction ? references(value) : [],
    });
  }

  // Same length as the text it replaces and newlines kept, so line and column numbers stay true.
  const span = code.slice(exported.start, decl.start);
  const assign = `${DEFAULT_NAME}=`;
  const padded = assign + span.slice(assign.length).replace(/[^\n]/g, ' ');
  const body = code.slice(0, exported.start) + padded + code.slice(decl.start);
  const transformed = `(function(){"use strict";let ${DEFAULT_NAME};\n${body}\n;return ${DEFAULT_NAME};})`;
  return { members, transformed };
}

// A binding expression: exactly one expression, references extracted.
function analyzeExpression(expr) {
  let program;
  try {
    program = acorn.parse(`(${expr}\n)`, { ecmaVersion: ECMA, sourceType: 'script', locations: true });
  } catch (e) {
    throw syntaxError(e, 0, 1);
  }
  if (program.body.length !== 1 || program.body[0].type !== 'ExpressionStatement') {
    throw new AnalysisError('a binding must be a single JavaScript expression', 1, 1);
  }
  forbidden(program);
  return { refs: references(program.body[0].expression) };
}

module.exports = { analyzeModule, analyzeExpression, AnalysisError };
