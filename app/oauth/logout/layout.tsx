/** Phone-first: one narrow column, like the consent screen. */
export default function LogoutLayout({ children }: { children: React.ReactNode }) {
  return <div className="mx-auto w-full max-w-lg">{children}</div>;
}
