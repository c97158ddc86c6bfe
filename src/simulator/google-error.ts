import type { SimulatedMethod } from './scenario';

/** Google's JSON error body, as every Google API answers a failed call. */
export interface GoogleErrorBody {
  error: {
    code: number;
    message: string;
    status?: string;
    details?: Record<string, unknown>[];
    /** Only the older (discovery-based) APIs such as Cloud SQL Admin add this list. */
    errors?: { message: string; domain: string; reason: string; location?: string; locationType?: string }[];
  };
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  412: 'FAILED_PRECONDITION',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'NOT_IMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const DEFAULT_MESSAGES: Record<number, string> = {
  400: 'Request contains an invalid argument.',
  401: 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
  404: 'Requested entity was not found.',
  409: 'The operation was aborted.',
  412: 'Precondition check failed.',
  500: 'Internal error encountered.',
  503: 'The service is currently unavailable.',
  504: 'The request timed out. Please try again.',
};

/** The API host a method belongs to, as it appears in error domains and resource URIs. */
export const serviceOf = (method: SimulatedMethod): string =>
  ({
    vpcaccess: 'vpcaccess.googleapis.com',
    cloudsql: 'sqladmin.googleapis.com',
    run: 'run.googleapis.com',
    logging: 'logging.googleapis.com',
    monitoring: 'monitoring.googleapis.com',
  })[method.split('.')[0] as string] ?? 'googleapis.com';

const errorInfo = (reason: string, domain: string, metadata: Record<string, string>) => ({
  '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
  reason,
  domain,
  metadata,
});

/** A generic error body for `status`, worded as Google words it. */
export function googleError(status: number, message?: string, method?: SimulatedMethod): GoogleErrorBody {
  const text = message ?? DEFAULT_MESSAGES[status] ?? `HTTP ${status}`;
  const body: GoogleErrorBody = {
    error: { code: status, message: text, status: STATUS_NAMES[status] ?? 'UNKNOWN' },
  };
  if (status === 429 && method) {
    const service = serviceOf(method);
    body.error.message = `Quota exceeded for quota metric 'Read requests' and limit 'Read requests per minute' of service '${service}' for consumer 'project_number:123456789012'.`;
    body.error.details = [
      errorInfo('RATE_LIMIT_EXCEEDED', 'googleapis.com', {
        service,
        quota_metric: `${service}/read_requests`,
        consumer: 'projects/123456789012',
      }),
    ];
  }
  if (method?.startsWith('cloudsql.')) {
    body.error.errors = [
      {
        message: body.error.message,
        domain: 'global',
        reason: status === 429 ? 'rateLimitExceeded' : 'backendError',
      },
    ];
  }
  return body;
}

/**
 * A 403 the way each API really words it: the GAPIC APIs and Logging name the permission in the
 * message and in an ErrorInfo; Monitoring only in the message; Cloud SQL Admin not at all.
 */
export function permissionDenied(method: SimulatedMethod, resource: string): GoogleErrorBody {
  const service = serviceOf(method);
  if (method.startsWith('drive.')) {
    const message = 'Insufficient permissions for the specified parent.';
    return {
      error: {
        code: 403,
        message,
        errors: [{ message, domain: 'global', reason: 'insufficientParentPermissions' }],
      },
    };
  }
  if (method === 'cloudsql.instances.get') {
    const message = 'The client is not authorized to make this request.';
    return {
      error: { code: 403, message, errors: [{ message, domain: 'global', reason: 'notAuthorized' }] },
    };
  }
  if (method === 'monitoring.timeSeries.list') {
    return {
      error: {
        code: 403,
        message: `Permission ${method} denied (or the resource may not exist).`,
        status: 'PERMISSION_DENIED',
      },
    };
  }
  return {
    error: {
      code: 403,
      message: `Permission '${method}' denied on resource '//${service}/${resource}' (or it may not exist).`,
      status: 'PERMISSION_DENIED',
      details: [errorInfo('IAM_PERMISSION_DENIED', 'iam.googleapis.com', { permission: method, resource })],
    },
  };
}

/** A 404 worded as the owning API words it. */
export function notFound(method: SimulatedMethod, resource: string): GoogleErrorBody {
  if (method.startsWith('drive.')) {
    const message = `File not found: ${resource}.`;
    return {
      error: {
        code: 404,
        message,
        errors: [
          { message, domain: 'global', reason: 'notFound', location: 'fileId', locationType: 'parameter' },
        ],
      },
    };
  }
  if (method === 'cloudsql.instances.get') {
    const message = 'The Cloud SQL instance does not exist.';
    return {
      error: { code: 404, message, errors: [{ message, domain: 'global', reason: 'instanceDoesNotExist' }] },
    };
  }
  if (method === 'run.services.get' || method === 'run.revisions.list' || method === 'run.services.update') {
    const [, project, , region, , service] = resource.split('/');
    return googleError(
      404,
      `Resource '${service}' of kind 'SERVICE' in region '${region}' in project '${project}' does not exist.`,
    );
  }
  return googleError(404, `Resource '${resource}' was not found`);
}
