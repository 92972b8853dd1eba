/**
 * The documents, viewed inline from the staff content route (`contentPath`, same origin, the session cookie):
 * images as <img>, PDFs in an <object> with a download link, anything else as a download only. A role the content
 * route refuses (an operator) reads "Not shown to your role" in the document's place, and nothing is requested.
 */
import type { CaseDocument } from '../../api/types';
import { formatDateTime, humanize } from '../../lib/duration';

interface Props {
  documents: CaseDocument[];
  underReview: string | null;
  /** The content route answers compliance officers and auditors only: without it, the list alone. */
  showContent: boolean;
}

export function DocumentsSection({ documents, underReview, showContent }: Props) {
  return (
    <section aria-labelledby="documents-heading">
      <h2 id="documents-heading">Documents</h2>
      {documents.length === 0 ? (
        <p>No documents uploaded.</p>
      ) : (
        <>
          {!showContent && <p class="hint">Document contents are shown to compliance officers and auditors only.</p>}
          <ul class="documents">
            {documents.map((document) => (
              <li key={document.documentId}>
                <DocumentView document={document} underReview={document.documentId === underReview} showContent={showContent} />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

const size = (bytes: number) => (bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${Math.round(bytes / 1024)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

function DocumentView({ document, underReview, showContent }: { document: CaseDocument; underReview: boolean; showContent: boolean }) {
  const name = `${document.documentType} ${document.fileName}`;
  const download = showContent && (
    <a href={document.contentPath} download={document.fileName}>
      Download {document.fileName}
    </a>
  );
  return (
    <figure class={underReview ? 'document under-review' : 'document'}>
      {!showContent ? (
        <p class="not-shown">Not shown to your role</p>
      ) : document.contentType.startsWith('image/') ? (
        <img src={document.contentPath} alt={name} loading="lazy" />
      ) : document.contentType === 'application/pdf' ? (
        <object data={document.contentPath} type="application/pdf" aria-label={name} class="pdf">
          <p>The browser cannot show this PDF here. {download}</p>
        </object>
      ) : null}
      <figcaption>
        <strong>{humanize(document.documentType)}</strong> · {document.fileName} · {size(document.sizeBytes)} · status {humanize(document.status)} · uploaded{' '}
        {formatDateTime(document.uploadedAt)}
        {underReview && <strong class="badge"> Under review</strong>}
        {download && (
          <>
            <br />
            {download}
          </>
        )}
      </figcaption>
    </figure>
  );
}
