import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ROOT } from './processes.js';

export const KNATIVE_DIR = join(ROOT, 'knative');

/** One YAML document of a file in knative/, as plain data. */
export interface Manifest {
  readonly file: string;
  readonly doc: any;
}

/** The YAML files of knative/ (the kustomization included), by name. */
export function manifestFiles(): string[] {
  return readdirSync(KNATIVE_DIR)
    .filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'))
    .sort();
}

/** Every document of one file of knative/ (or of a folder in it); a YAML error fails with the file and line. */
export function parseManifestFile(file: string): Manifest[] {
  return parseAllDocuments(readFileSync(join(KNATIVE_DIR, file), 'utf8')).map((document) => {
    if (document.errors.length) throw new Error(`${file}: ${document.errors.map((e) => e.message).join('; ')}`);
    return { file, doc: document.toJS() };
  });
}

/** Every Kubernetes resource the kustomization renders (all files but kustomization.yaml). */
export function resources(): Manifest[] {
  return manifestFiles()
    .filter((file) => file !== 'kustomization.yaml')
    .flatMap(parseManifestFile);
}

export function find(kind: string, name: string, apiVersion?: string): any {
  const found = resources().filter((m) => m.doc.kind === kind && m.doc.metadata?.name === name && (!apiVersion || m.doc.apiVersion === apiVersion));
  if (found.length !== 1) throw new Error(`expected one ${kind} named ${name}, found ${found.length}`);
  return found[0]!.doc;
}

export function ofKind(kind: string, apiVersion: string): any[] {
  return resources()
    .map((m) => m.doc)
    .filter((doc) => doc.kind === kind && doc.apiVersion === apiVersion);
}

