// A .py file imported `with { type: "text" }` is its text (Bun, its compiler and Deno read it so).
declare module "*.py" {
  const text: string;
  export default text;
}
