// Any error becomes a WireError: the class name, plain words, and the fields at fault, so the
// UI can put a message next to the field it concerns.
import type { WireError } from '../../shared/contract';
import { ConfigError } from '../../shared/vm-config';
import { PlanError } from '../qemu/plan';

export function toWireError(e: unknown): WireError {
  if (e instanceof ConfigError) return { name: 'ConfigError', message: e.message, fields: e.errors };
  if (e instanceof PlanError) return { name: 'PlanError', message: e.message, fields: e.field ? [{ field: e.field, message: e.message }] : undefined };
  if (e instanceof Error) return { name: e.name || 'Error', message: e.message };
  return { name: 'Error', message: String(e) };
}
