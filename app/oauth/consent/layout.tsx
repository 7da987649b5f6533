/** Phone-first: one narrow column, whatever the screen. */
export default function ConsentLayout({ children }: { children: React.ReactNode }) {
  return <div className="mx-auto w-full max-w-lg">{children}</div>;
}
