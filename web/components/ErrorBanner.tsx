import styles from "./ErrorBanner.module.css";

export function ErrorBanner({ title, message }: { title: string; message: string }) {
  return (
    <div role="alert" className={styles.banner}>
      <strong>{title}</strong> {message}
    </div>
  );
}
