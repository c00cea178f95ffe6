// Typed reads of devcontainer.json properties. Only own properties count, so a `__proto__` key in
// the file cannot supply a value through the prototype.

import { configError } from './config-error.js';
import { isObject } from './parse.js';

/** `label` is the property as the user wrote it (`build.args`), for error messages. */
export interface Field {
  readonly object: Record<string, unknown>;
  readonly key: string;
  readonly label: string;
  readonly file: string;
}

export function has(object: Record<string, unknown>, key: string): boolean {
  return Object.hasOwn(object, key);
}

export function optionalString({ object, key, label, file }: Field): string | undefined {
  if (!has(object, key)) return undefined;
  const value = object[key];
  if (typeof value !== 'string') throw configError(file, `${label} must be a string`);
  return value;
}

export function optionalObject({ object, key, label, file }: Field): Record<string, unknown> {
  if (!has(object, key)) return {};
  const value = object[key];
  if (!isObject(value)) throw configError(file, `${label} must be an object`);
  return value;
}

export function stringList({ object, key, label, file }: Field): string[] {
  if (!has(object, key)) return [];
  const value = object[key];
  if (Array.isArray(value) && value.every((item): item is string => typeof item === 'string')) {
    return value;
  }
  throw configError(file, `${label} must be a list of strings`);
}
