// Clients for the two APIs the page uses: the Step Functions API itself (AWS JSON 1.0 at POST /
// on this origin, exactly what the AWS SDKs send) and the console's small JSON API.

export class ApiError extends Error {
  constructor(message, code, status) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

async function parse(response) {
  const text = await response.text();
  let body = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = { message: text };
    }
  }
  if (!response.ok) {
    const type = body && (body.__type || body.error || body.code);
    const code = type ? String(type).split('#').pop() : `HTTP ${response.status}`;
    const message = (body && (body.message || body.Message)) || response.statusText;
    throw new ApiError(`${code}: ${message}`, code, response.status);
  }
  return body || {};
}

/** Calls a Step Functions action, e.g. sfn('ListExecutions', {stateMachineArn}). */
export async function sfn(action, body = {}) {
  const response = await fetch('/', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': `AWSStepFunctions.${action}`,
      // Unsigned: the local stack lets the console act with the operator's rights (LocalIam).
      'X-Pipeline-Caller': 'console',
    },
    body: JSON.stringify(body),
  });
  return parse(response);
}

/** Every page of a paginated Step Functions call, concatenated (bounded by maxPages). */
export async function sfnAll(action, body, listKey, maxPages = 50) {
  const items = [];
  let nextToken;
  for (let page = 0; page < maxPages; page++) {
    const result = await sfn(action, nextToken ? { ...body, nextToken } : body);
    items.push(...(result[listKey] || []));
    nextToken = result.nextToken;
    if (!nextToken) break;
  }
  return items;
}

/** Calls the console API under /console/api/. */
export async function consoleApi(path, { method = 'GET', body } = {}) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  return parse(await fetch(`/console/api/${path}`, init));
}
