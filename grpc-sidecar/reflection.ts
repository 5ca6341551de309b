import type { Server } from '@grpc/grpc-js';
import type { PackageDefinition } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import descriptor, { type IDescriptorProto, type IFileDescriptorProto } from 'protobufjs/ext/descriptor/index.js';

interface FileDescriptor extends IFileDescriptorProto {
  dependency: string[];
}

/**
 * Server reflection over the given package definitions, so grpcurl works without the .proto file.
 *
 * The file descriptors proto-loader builds (with protobufjs) are not valid for clients that check them, such
 * as grpcurl: types are regrouped into one file per package (`dbsvc_v1.proto`, `google_protobuf.proto`) that
 * declares no imports of the others (grpc/grpc-node#2958), and a map's entry type is named `Fields` where
 * protobuf requires `FieldsEntry` (google.protobuf.Struct). Both are corrected here before reflection serves
 * them; the imports are found from the type names that fields and methods use.
 */
export function addReflection(server: Pick<Server, 'addService'>, definition: PackageDefinition): void {
  new ReflectionService(corrected(definition)).addToServer(server);
}

function corrected(definition: PackageDefinition): PackageDefinition {
  const originals = new Set<Buffer>();
  for (const entry of Object.values(definition)) for (const bytes of fileProtosOf(entry) ?? []) originals.add(bytes);
  const files = new Map([...originals].map((bytes) => [bytes, descriptor.FileDescriptorProto.decode(bytes) as unknown as FileDescriptor]));
  const owner = new Map<string, string>();
  for (const file of files.values()) {
    for (const symbol of declaredSymbols(file)) owner.set(symbol, file.name!);
  }
  const rewritten = new Map<Buffer, Buffer>();
  for (const [bytes, file] of files) {
    for (const message of file.messageType ?? []) nameMapEntries(message);
    const scope = file.package ?? '';
    const imports = new Set<string>();
    for (const reference of referencedTypes(file)) {
      const target = resolve(reference, scope, owner);
      if (target && target !== file.name) imports.add(target);
    }
    file.dependency = [...imports].sort();
    rewritten.set(bytes, Buffer.from(descriptor.FileDescriptorProto.encode(file).finish()));
  }
  return Object.fromEntries(
    Object.entries(definition).map(([name, entry]) => {
      const protos = fileProtosOf(entry);
      return [name, protos ? ({ ...entry, fileDescriptorProtos: protos.map((bytes) => rewritten.get(bytes)!) } as typeof entry) : entry];
    }),
  );
}

/** Messages and enums carry the file descriptors; services do not. */
function fileProtosOf(entry: PackageDefinition[string]): Buffer[] | undefined {
  const protos = (entry as { fileDescriptorProtos?: unknown }).fileDescriptorProtos;
  return Array.isArray(protos) ? (protos as Buffer[]) : undefined;
}

/** A map field's entry type must be named after the field in CamelCase plus `Entry` (`fields` → `FieldsEntry`). */
function nameMapEntries(message: IDescriptorProto): void {
  for (const nested of message.nestedType ?? []) {
    nameMapEntries(nested);
    if (!nested.options?.mapEntry) continue;
    const field = message.field?.find((f) => f.typeName === nested.name || f.typeName?.endsWith(`.${message.name}.${nested.name}`));
    if (!field?.name) continue;
    const entryName = `${field.name.replace(/(?:^|_)([a-z0-9])/g, (_, letter: string) => letter.toUpperCase())}Entry`;
    field.typeName = field.typeName!.slice(0, field.typeName!.length - nested.name!.length) + entryName;
    nested.name = entryName;
  }
}

function declaredSymbols(file: FileDescriptor): string[] {
  const prefix = file.package ? `${file.package}.` : '';
  const symbols: string[] = [];
  const visit = (message: IDescriptorProto, at: string) => {
    const name = `${at}${message.name}`;
    symbols.push(name);
    for (const nested of message.nestedType ?? []) visit(nested, `${name}.`);
    for (const enumType of message.enumType ?? []) symbols.push(`${name}.${enumType.name}`);
  };
  for (const message of file.messageType ?? []) visit(message, prefix);
  for (const enumType of file.enumType ?? []) symbols.push(`${prefix}${enumType.name}`);
  for (const service of file.service ?? []) symbols.push(`${prefix}${service.name}`);
  return symbols;
}

function referencedTypes(file: FileDescriptor): string[] {
  const references: string[] = [];
  const visit = (message: IDescriptorProto) => {
    for (const field of message.field ?? []) if (field.typeName) references.push(field.typeName);
    for (const nested of message.nestedType ?? []) visit(nested);
  };
  for (const message of file.messageType ?? []) visit(message);
  for (const service of file.service ?? []) {
    for (const method of service.method ?? []) references.push(method.inputType ?? '', method.outputType ?? '');
  }
  return references.filter(Boolean);
}

/** The file declaring a type reference: absolute (`.a.B`), or relative, searched outward from the package. */
function resolve(reference: string, scope: string, owner: ReadonlyMap<string, string>): string | undefined {
  if (reference.startsWith('.')) return owner.get(reference.slice(1));
  for (let at = scope; at; at = at.includes('.') ? at.slice(0, at.lastIndexOf('.')) : '') {
    const found = owner.get(`${at}.${reference}`);
    if (found) return found;
  }
  return owner.get(reference);
}
