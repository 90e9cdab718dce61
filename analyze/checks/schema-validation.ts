import { isKnownApiGroup, validateObject } from '../../validate/schema-validator';
import type { Check } from '../check';
import type { MessageType } from '../finding';

export const SCHEMA_VALIDATION_ERROR: MessageType = {
  code: 'IST0106',
  name: 'SchemaValidationError',
  level: 'error',
  summary: 'The resource has a schema validation error.',
};

export const UNKNOWN_KIND: MessageType = {
  code: 'HI0006',
  name: 'UnknownKind',
  level: 'error',
  summary: 'The kind or version does not exist in its API group (Kubernetes 1.33, Istio 1.30.3): the API server would reject it.',
};

export const UNVALIDATED_KIND: MessageType = {
  code: 'HI0007',
  name: 'UnvalidatedKind',
  level: 'info',
  summary: 'No schema is known for the kind (a CRD other than Istio\'s): it is not validated.',
};

/**
 * Every object against the schema of its apiVersion and kind (Kubernetes 1.33 OpenAPI, Istio 1.30.3 CRDs),
 * strictly: unknown fields, wrong types, missing required fields and values outside an enum are errors.
 */
export const schemaValidation: Check = {
  description: 'Every object against the Kubernetes 1.33 or Istio 1.30.3 schema of its kind, unknown fields included',
  messages: [SCHEMA_VALIDATION_ERROR, UNKNOWN_KIND, UNVALIDATED_KIND],
  run(mesh, report) {
    for (const object of mesh.objects) {
      const { apiVersion, kind } = object.manifest;
      if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
        const missing = typeof apiVersion !== 'string' ? 'apiVersion' : 'kind';
        report(SCHEMA_VALIDATION_ERROR, object, 'is required (a string): without it the object has no schema', [missing]);
        continue;
      }
      const verdict = validateObject(object.manifest);
      if (verdict.known) {
        for (const violation of verdict.violations) report(SCHEMA_VALIDATION_ERROR, object, violation.message, violation.path);
      } else if (isKnownApiGroup(apiVersion)) {
        report(UNKNOWN_KIND, object, `${apiVersion} has no kind ${kind}: no such kind or version in this API group`, ['kind']);
      } else {
        report(UNVALIDATED_KIND, object, `no schema for ${apiVersion} ${kind}: the object is not validated`);
      }
    }
  },
};
