// A Nuclio-style Node.js handler: handler(context, event), initContext once per worker.

exports.initContext = (context) => {
  context.userData.greeted = 0;
};

exports.handler = async (context, event) => {
  const input = event.contentType.startsWith('application/json') && event.body.length > 0
    ? JSON.parse(event.body.toString())
    : {};
  const name = input.name ?? 'world';
  context.userData.greeted += 1;
  context.logger.infoWith('greeting', { name, worker: context.workerId, greeted: context.userData.greeted });
  return { greeting: `Hello, ${name}!`, worker: context.workerId, method: event.method };
};
