// The signed-out pages as one chunk: they share their texts and form pieces, and a chunk shared by several lazy
// chunks that runs code of the entry when it loads (pageTexts) would make the bundler pull the entry's core into a
// chunk of its own.
export { Page as AcceptInvitation } from "./accept-invitation.tsx";
export { Page as ResetPassword } from "./reset-password.tsx";
export { Page as SignUp } from "./signup.tsx";
