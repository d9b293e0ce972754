import { Fragment } from "react";

/** A URL path that may wrap only before a "/" (never inside a segment): "/v1/responses/{response_id}". */
export function PathText({ path }: { path: string }) {
  return (
    <>
      {path.split("/").map((segment, i) => (
        <Fragment key={i}>
          {i > 1 ? <wbr /> : null}
          {i > 0 ? "/" : null}
          {segment}
        </Fragment>
      ))}
    </>
  );
}

/** A compact type ("string | array<string> | null") that may wrap only between its alternatives. */
export function TypeText({ type }: { type: string }) {
  const alternatives = type.split(" | ");
  return (
    <>
      {alternatives.map((alternative, i) => (
        <Fragment key={i}>
          {i > 0 ? " " : null}
          <span className="whitespace-nowrap">{i < alternatives.length - 1 ? `${alternative} |` : alternative}</span>
        </Fragment>
      ))}
    </>
  );
}
