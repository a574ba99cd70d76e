// Any error becomes a WireError: the class name, plain words, and the fields at fault, so the
// UI can put a message next to the field it concerns.
import type { z } from 'zod';
import type { WireError } from '../../shared/contract';
import { plainIssue } from '../../shared/plain-errors';
import { ConfigError } from '../../shared/vm-config';
import { PlanError } from '../qemu/plan';
import { ConflictError, GuestExistsError } from '../vm/store';
import { LiveChangeError } from '../vm/edit/live';

export function toWireError(e: unknown): WireError {
  if (e instanceof ConfigError) return { name: 'ConfigError', message: e.message, fields: e.errors };
  if (e instanceof PlanError) return { name: 'PlanError', message: e.message, fields: e.field ? [{ field: e.field, message: e.message }] : undefined };
  // The wizard shows this one next to the name it asked for.
  if (e instanceof GuestExistsError) return { name: e.name, message: e.message, fields: [{ field: 'name', message: e.message }] };
  // Another client changed the guest first: the fields that moved, so the form can point at them.
  if (e instanceof ConflictError) return { name: e.name, message: e.message, fields: e.changes.map((c) => ({ field: c.field, message: `Changed elsewhere: ${c.label}.` })) };
  // QEMU refused a change on the running guest: said next to the setting that asked for it.
  if (e instanceof LiveChangeError) return { name: e.name, message: e.message, fields: [{ field: e.field, message: e.message }] };
  if (e instanceof Error) return { name: e.name || 'Error', message: e.message };
  return { name: 'Error', message: String(e) };
}

export function validationError(call: string, error: z.ZodError, what = 'request'): WireError {
  const fields = error.issues.map(plainIssue);
  return {
    name: what === 'request' ? 'ValidationError' : 'OutputValidationError',
    // Each field's own sentence, so a client that shows only the message still says what to do.
    message: what === 'request' ? fields.map((f) => (f.field ? `${f.field}: ${f.message}` : f.message)).join(' ') : `Guestbay answered ${call} with a malformed reply: ${fields.map((f) => `${f.field || what}: ${f.message}`).join(' ')}`,
    fields,
  };
}

/** A thing the caller asked for that is not in a state to do it (the console is not open…). */
export class ApiStateError extends Error {
  override name = 'ApiStateError';
}
