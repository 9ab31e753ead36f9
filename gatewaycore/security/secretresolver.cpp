// Resolves a gatehouse.yaml secret (literal, ${env:NAME}, ${file:path}) to its bytes at start.
#include "secretresolver.h"

#include <QDir>
#include <QFile>

namespace Gatehouse {

Result<QByteArray> resolveSecret(const SecretRef &secret, const QString &projectDir)
{
    if (!secret.literal.isEmpty())
        return secret.literal.toUtf8();
    if (!secret.envName.isEmpty()) {
        const QByteArray name = secret.envName.toLocal8Bit();
        if (!qEnvironmentVariableIsSet(name.constData()))
            return Error::config(QStringLiteral("environment variable %1 is not set").arg(secret.envName));
        return qgetenv(name.constData());
    }
    if (!secret.filePath.isEmpty()) {
        const QString path = QDir(projectDir).absoluteFilePath(secret.filePath);
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return Error::io(QStringLiteral("cannot read secret file %1: %2").arg(path, f.errorString()));
        QByteArray bytes = f.read(1024 * 1024);
        if (bytes.endsWith("\r\n"))
            bytes.chop(2);
        else if (bytes.endsWith('\n'))
            bytes.chop(1);
        return bytes;
    }
    return QByteArray();
}

} // namespace Gatehouse
