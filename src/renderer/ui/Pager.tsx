/** Previous / Next over a paged list, with where this page sits in the whole. */
export function Pager({ offset, pageSize, total, totalText, busy, onPage }: {
  offset: number;
  pageSize: number;
  total: number;
  /** How the total reads ("10,000", "100,000+"); default: the number. */
  totalText?: string;
  busy: boolean;
  onPage: (offset: number) => void;
}) {
  if (total <= pageSize && offset === 0) return null;
  return (
    <div className="pager">
      <button type="button" className="button button-small" disabled={offset === 0 || busy} onClick={() => onPage(Math.max(0, offset - pageSize))}>
        Previous
      </button>
      <span className="small muted">
        {(offset + 1).toLocaleString('en')}–{Math.min(offset + pageSize, total).toLocaleString('en')} of {totalText ?? total.toLocaleString('en')}
      </span>
      <button type="button" className="button button-small" disabled={offset + pageSize >= total || busy} onClick={() => onPage(offset + pageSize)}>
        Next
      </button>
    </div>
  );
}
