/**
 * The runtime and infra error codes (compiler/errorCatalog.ts), held like the compiler's diagnostics catalog: every
 * code raised is in the catalog, every entry is raised somewhere, codes are unique, and every error class that
 * carries a code extends CodedError (whose type already takes only catalog codes).
 */
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { catalog as diagnostics } from '../../compiler/diagnostics/catalog.ts';
import { ERROR_CATALOG } from '../../compiler/errorCatalog.ts';
import { readSources, repositoryRoot } from './importGraph.ts';

const sources = readSources(repositoryRoot(import.meta.url), ['compiler', 'runtime', 'infra']);
const CATALOG_FILE = 'compiler/errorCatalog.ts';
const codes = Object.keys(ERROR_CATALOG);

interface ErrorClass {
  file: string;
  name: string;
  base: string;
  hasCode: boolean;
  /** Whether the constructor's first parameter is the code: undefined when the class declares no constructor. */
  codeFirst?: boolean;
}

/** Every class whose base is an error class, with whether it declares a `code` (a field or a constructor parameter). */
function errorClasses(): ErrorClass[] {
  const found: ErrorClass[] = [];
  for (const [file, text] of sources) {
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isClassDeclaration(node) && node.name) {
        const base = node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression.getText(source);
        const named = (n: ts.Node) => 'name' in n && (n.name as ts.Node | undefined)?.getText(source) === 'code';
        const hasCode = node.members.some((m) => named(m) || (ts.isConstructorDeclaration(m) && m.parameters.some(named)));
        const constructor = node.members.find(ts.isConstructorDeclaration);
        const codeFirst = constructor && constructor.parameters[0]?.name.getText(source) === 'code';
        if (base) found.push({ file, name: node.name.text, base, hasCode, ...(constructor ? { codeFirst } : {}) });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

/** Classes that extend CodedError, directly or through another, each with whether it is constructed code first. */
function codedClasses(classes: readonly ErrorClass[]): Map<string, boolean> {
  const coded = new Map([['CodedError', true]]);
  for (let grew = true; grew;) {
    grew = false;
    for (const c of classes) {
      if (coded.has(c.base) && !coded.has(c.name)) {
        coded.set(c.name, c.codeFirst ?? coded.get(c.base)!);
        grew = true;
      }
    }
  }
  coded.delete('CodedError');
  return coded;
}

/**
 * Codes written at a throw site: the literal first argument of a coded class constructed code first, and every
 * RV_INFRA_* code.
 */
function raisedCodes(coded: ReadonlyMap<string, boolean>): Map<string, string> {
  const raised = new Map<string, string>();
  const codeFirst = [...coded].filter(([, first]) => first).map(([name]) => name);
  const construction = new RegExp(`new (${codeFirst.join('|')})\\(\\s*'([A-Za-z0-9_]+)'`, 'g');
  for (const [file, text] of sources) {
    if (file === CATALOG_FILE) continue;
    for (const m of text.matchAll(construction)) raised.set(m[2]!, `${file} (${m[1]})`);
    for (const m of text.matchAll(/\bRV_INFRA_[A-Z0-9_]+/g)) raised.set(m[0], file);
  }
  return raised;
}

describe('the runtime and infra error catalog', () => {
  const classes = errorClasses();
  const coded = codedClasses(classes);

  it('finds the coded classes it holds to it', () => {
    expect([...coded.keys()]).toEqual(expect.arrayContaining(['QueueError', 'ConfigError', 'ToolFailure', 'InfraError', 'ProcessingError']));
  });

  it('has every error class that carries a code extend CodedError', () => {
    const outside = classes.filter((c) => c.hasCode && c.name !== 'CodedError' && !coded.has(c.name)).map((c) => `${c.file}: ${c.name} extends ${c.base}`);
    expect(outside).toEqual([]);
  });

  it('names every code raised', () => {
    const raised = raisedCodes(coded);
    expect(raised.size).toBeGreaterThan(20);
    expect([...raised].filter(([code]) => !Object.hasOwn(ERROR_CATALOG, code)).map(([code, where]) => `${code} in ${where}`)).toEqual([]);
  });

  it('has no entry that nothing raises', () => {
    // A code in use appears as a literal outside type declarations: at a throw, a comparison or a result's error.
    const uses = [...sources].filter(([file]) => file !== CATALOG_FILE && !file.startsWith('compiler/'))
      .flatMap(([, text]) => text.split('\n').filter((line) => !/^\s*(export )?type |^\s*\|/.test(line)))
      .join('\n');
    expect(codes.filter((code) => !uses.includes(`'${code}'`) && !uses.includes(`${code}:`))).toEqual([]);
  });

  it('keeps codes unique, apart from the compiler diagnostics, and says what each means and what to do', () => {
    const lower = codes.map((c) => c.toLowerCase());
    expect(new Set(lower).size).toBe(codes.length);
    const diagnosticCodes = new Set(Object.values(diagnostics).map((d) => d.code));
    expect(codes.filter((c) => diagnosticCodes.has(c))).toEqual([]);
    for (const [code, entry] of Object.entries(ERROR_CATALOG)) {
      expect(entry.meaning.length, code).toBeGreaterThan(10);
      expect(entry.action.length, code).toBeGreaterThan(5);
    }
  });
});
