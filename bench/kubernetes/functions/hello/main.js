// Hello handler for the HTTP benchmark: the same work as every other server in bench/http.
exports.handler = (context, event) => 'hello';
