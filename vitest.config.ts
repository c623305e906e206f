import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Two cores: ONNX Runtime and GDAL already use threads inside a test.
    maxWorkers: 2,
    // expect.poll waits for UI round trips; on 2 loaded cores (two browsers with software WebGL)
    // 5 s is too short. A condition that never comes true still fails.
    expect: { poll: { timeout: 20_000 } },
    globalSetup: ['tests/global-setup.ts'],
    reporters: ['default', './tests/summary-reporter.ts'],
  },
});
