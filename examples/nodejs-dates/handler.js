// Shifts a date by an amount of a unit: POST {"value": 3, "unit": "days"} (optionally "from").
const moment = require('moment');

exports.handler = (context, event) => {
  const request = event.body.length > 0 ? JSON.parse(event.body.toString()) : {};
  const from = request.from ? moment(request.from) : moment();
  if (!from.isValid()) {
    return new context.Response({ statusCode: 400, body: { error: `"${request.from}" is not a date` } });
  }
  const shifted = from.clone().add(request.value ?? 0, request.unit ?? 'days');
  context.logger.infoWith('shifted a date', { from: from.toISOString(), to: shifted.toISOString() });
  return { from: from.toISOString(), to: shifted.toISOString(), fromNow: shifted.from(from) };
};
