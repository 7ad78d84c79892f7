import Link from "next/link";
import styles from "./not-found.module.css";

export const metadata = { title: "Not found · Curator Workbench" };

/** Any unknown address or missing track lands here, with the two ways on: search the catalogue or go back to it. */
export default function NotFound() {
  return (
    <section className={styles.box} aria-labelledby="not-found-title">
      <h1 id="not-found-title">Page not found</h1>
      <p>There is nothing at this address: the link may be old, or the track may have left the catalogue.</p>
      {/* A plain GET form: it works before (and without) JavaScript and lands on the catalogue's ?q= search. */}
      <form role="search" action="/" method="get" className={styles.search}>
        <label htmlFor="not-found-search">Search the catalogue</label>
        <input id="not-found-search" name="q" type="search" placeholder="Title, artist or album" />
        <button type="submit" className={styles.button}>Search</button>
      </form>
      <p>
        <Link href="/">Back to the catalogue</Link>
      </p>
    </section>
  );
}
