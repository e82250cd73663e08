module.exports = async () => {
  if (globalThis.__MOTO__) globalThis.__MOTO__.kill();
};
