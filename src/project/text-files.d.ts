// A template imported `with { type: "text" }` is its text (templates.ts; Bun, its compiler and Deno read it so).
declare module "*Dockerfile" {
  const text: string;
  export default text;
}
declare module "*.template" {
  const text: string;
  export default text;
}
declare module "*.conf" {
  const text: string;
  export default text;
}
declare module "*.sh" {
  const text: string;
  export default text;
}
