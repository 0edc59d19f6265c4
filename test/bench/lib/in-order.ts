/**
 * `items` sent in order, `inFlight` at a time: item i+1 goes while item i is being answered, as the
 * station's uploader keeps a second batch in flight. Resolves when every item was answered.
 */
export async function sendInOrder<T>(items: readonly T[], inFlight: number, send: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const sender = async () => {
    while (next < items.length) await send(items[next++]!);
  };
  await Promise.all(Array.from({ length: inFlight }, sender));
}
