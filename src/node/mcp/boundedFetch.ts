// The fetch an HTTP MCP server is reached through: a response body larger than the cap ends the request
// with that reason instead of being read into memory whole (the SDK reads a JSON answer with
// `response.json()`). On an event stream (`text/event-stream`, which may stay open for the whole session)
// the cap is per message, counted from one blank line to the next, so a long-lived stream of small
// messages is never cut. The same cap as a stdio server's line (mcpConnection.ts).
const NO_BODY = new Set([101, 103, 204, 205, 304]);

export function boundedFetch(maxBytes: number, base: typeof fetch = fetch): typeof fetch {
  const tooLarge = () => new Error(`the MCP server's response is larger than ${formatBytes(maxBytes)}`);
  return async (input, init) => {
    const response = await base(input, init);
    if (response.body === null || NO_BODY.has(response.status)) return response;
    const eventStream = (response.headers.get('content-type') ?? '').toLowerCase().includes('text/event-stream');
    let size = 0;
    let lineEmpty = false; // the bytes since the last LF were only CRs: a second LF ends the message
    const limited = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          if (!eventStream) size += chunk.length;
          else {
            for (const byte of chunk) {
              if (byte === 10) {
                if (lineEmpty) size = 0;
                lineEmpty = true;
              } else if (byte !== 13) {
                lineEmpty = false;
                size++;
              }
              if (size > maxBytes) break;
            }
          }
          if (size > maxBytes) controller.error(tooLarge());
          else controller.enqueue(chunk);
        },
      }),
    );
    return new Response(limited, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}
