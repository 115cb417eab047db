// Loaded before every e2e file.
process.env.NODE_ENV = 'test';
