import { LinkSignIn } from "@/features/session/LinkSignIn";

export const metadata = { title: "Sign in · Curator Workbench" };

export default function SignInPage() {
  return (
    <>
      <h1>Sign in</h1>
      <LinkSignIn />
    </>
  );
}
