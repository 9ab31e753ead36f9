// Result<T>: a value or an Error, the core's way to report failure without exceptions.
#pragma once

#include <QString>

#include <utility>
#include <variant>

namespace Gatehouse {

// Where an error came from, so callers can decide about retries and blame (Pingora's idea).
enum class ErrorSource { Internal = 1, Config, Downstream, Upstream, Io };

struct Error
{
    ErrorSource source = ErrorSource::Internal;
    QString message;
    bool retryable = false;

    static Error config(QString msg) { return {ErrorSource::Config, std::move(msg), false}; }
    static Error io(QString msg) { return {ErrorSource::Io, std::move(msg), false}; }
    static Error internal(QString msg) { return {ErrorSource::Internal, std::move(msg), false}; }
};

template<typename T>
class [[nodiscard]] Result
{
public:
    Result(T value) : m_data(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_data(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<0>(m_data); }
    const T &value() const & { return std::get<0>(m_data); }
    T &&value() && { return std::get<0>(std::move(m_data)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }

    const Error &error() const { return std::get<1>(m_data); }

private:
    std::variant<T, Error> m_data;
};

template<>
class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_ok(false) {}

    bool ok() const { return m_ok; }
    explicit operator bool() const { return m_ok; }
    const Error &error() const { return m_error; }

private:
    Error m_error;
    bool m_ok = true;
};

} // namespace Gatehouse
