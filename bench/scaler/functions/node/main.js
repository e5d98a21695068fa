// Hello handler for the scaler benchmark: woken from zero again and again.
exports.handler = () => 'hello';
