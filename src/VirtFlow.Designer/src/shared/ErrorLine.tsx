/** One line of error (an ApiError's message, or any error's), never a stack trace. */
export function ErrorLine({ error, testid = "error" }: { error: unknown; testid?: string }) {
  if (error === null || error === undefined) return null;
  const text = error instanceof Error ? error.message : String(error);
  return <div className="error-line" role="alert" data-testid={testid}>{text.split("\n")[0]}</div>;
}
