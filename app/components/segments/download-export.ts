/**
 * Downloads a segment's CSV export under the segment's name. The request goes through fetch,
 * which App Bridge signs with the session token (a plain link would not carry it); the server
 * streams the file, and the browser keeps it as a blob until it is saved.
 */
export async function downloadSegmentExport(
  segmentId: string,
  name: string,
  locale: string,
): Promise<boolean> {
  const response = await fetch(
    `/app/segments/${segmentId}/export?locale=${encodeURIComponent(locale)}`,
  );
  if (!response.ok) return false;
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = `${name}.csv`;
  link.click();
  URL.revokeObjectURL(link.href);
  return true;
}
