/** A response body as JSON, typed loosely: tests assert on its shape. */
export async function jsonBody(response: Response | undefined): Promise<any> {
  if (!response) throw new Error('no response');
  return response.json();
}
