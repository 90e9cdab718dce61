// Test setup: Buffers compare with Buffer.equals. The default deep equality walks a Buffer byte by byte, which made
// each comparison of two dist/ trees (readTree, 1.3 MB) take seconds; the result is the same, byte for byte.
expect.addEqualityTesters([(a, b) => (Buffer.isBuffer(a) && Buffer.isBuffer(b) ? a.equals(b) : undefined)]);
