/**
 * An action's answer as its page reads it: the JSON body of a form the merchant must correct
 * (422) or of a request no page sends (400); redirects and plain data as returned.
 */
export async function formAnswer(result: unknown): Promise<unknown> {
  const isJson =
    result instanceof Response &&
    (result.headers.get("Content-Type") ?? "").includes("application/json");
  return isJson ? ((await (result as Response).json()) as unknown) : result;
}
