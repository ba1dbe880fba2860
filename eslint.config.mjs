// ESLint flat config: typescript-eslint with type information, and no floating promises.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["dist/", "dist-bench/", "node_modules/", "examples/*/bin/", ".pulumi-work/", "scripts/", "**/*.js", "**/*.mjs"] },
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
        languageOptions: {
            parserOptions: { project: ["./tsconfig.test.json"], tsconfigRootDir: import.meta.dirname },
        },
        rules: {
            "@typescript-eslint/no-floating-promises": "error",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
        },
    },
    {
        // The benchmarks (npm run bench) have their own tsconfig.
        files: ["bench/**/*.ts"],
        languageOptions: {
            parserOptions: { project: ["./bench/tsconfig.json"], tsconfigRootDir: import.meta.dirname },
        },
    },
    {
        // Tests use jest's loose matchers (expect.any, objectContaining) and inspect parsed JSON.
        files: ["test/**/*.ts"],
        rules: {
            "@typescript-eslint/no-unsafe-assignment": "off",
            "@typescript-eslint/no-unsafe-member-access": "off",
            "@typescript-eslint/no-unsafe-argument": "off",
            "@typescript-eslint/require-await": "off",
            "@typescript-eslint/unbound-method": "off",
        },
    },
);
