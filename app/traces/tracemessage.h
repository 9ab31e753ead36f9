// The Traces dock's Headers and Bodies tab: a traced request and its answer as text (request
// line, headers, body; status line, headers, body). Header values come redacted from the core;
// bodies come from the request capture, which is not redacted, so the values of secret-looking
// JSON members and form fields are replaced here before anything is shown.
#pragma once

#include "telemetry/tracerecord.h"

#include <QCoreApplication>
#include <QString>

namespace Gatehouse {

class TraceMessage
{
    Q_DECLARE_TR_FUNCTIONS(Gatehouse::TraceMessage)
public:
    // The request with its body, then the response with its body; a record without a capture
    // says that its bodies were not kept.
    static QString text(const TraceRecord &record);

    // Whether a JSON member or form field called `name` holds a credential: its name contains
    // password, passwd, secret, token, apikey, authorization, credential, assertion, privatekey,
    // signature, session or cookie, ignoring case, '-' and '_' ("client_secret", "access_token",
    // "apiKey"; the core's isSecretHeader errs on the same side).
    static bool isSecretField(QStringView name);
    // `body` with the value of every secret field replaced by "REDACTED": JSON members at any
    // depth (also in a body cut short by the capture), or form fields when `contentType` is
    // application/x-www-form-urlencoded. Other bodies are returned as they are.
    static QByteArray redactBody(const QByteArray &body, QByteArrayView contentType);
    // A captured body for reading: redacted, JSON indented when whole, binary summarised, with a
    // note when the capture kept only its first bytes or the exchange ended before its end.
    static QString bodyText(const TraceCapturedBody &body, QByteArrayView contentType);
};

} // namespace Gatehouse
