import { AppLogo } from "./app-logo";

/** The app's logo on the consent screen, or the first letter of its name. */
export function ConsentAppLogo({ name, logoUrl }: { name: string; logoUrl: string | null }) {
  return <AppLogo name={name} src={logoUrl} size="lg" testId="consent-app-logo" />;
}
