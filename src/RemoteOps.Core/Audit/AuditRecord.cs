using System;

using RemoteOps.Core.Quoting;

namespace RemoteOps.Core.Audit
{
    /// <summary>
    /// One change, as written to the audit log: who did what to which target, when, and how it
    /// ended. Free-text fields pass through a credential filter when set, so values that are
    /// plainly secrets (password=..., bearer tokens, URL passwords) cannot be stored; secrets
    /// the caller knows must still be masked with <see cref="AuditLog.Redact"/> first.
    /// </summary>
    public sealed class AuditRecord
    {
        private DateTimeOffset time = DateTimeOffset.UtcNow;
        private string target;
        private string action;
        private string detail;

        /// <summary>When it happened, always held in UTC.</summary>
        public DateTimeOffset Time
        {
            get => time;
            set => time = value.ToUniversalTime();
        }

        /// <summary>The local account that made the change.</summary>
        public string User { get; set; }

        /// <summary>What was changed: a host, appliance or file.</summary>
        public string Target
        {
            get => target;
            set => target = SecretRedactor.RedactCredentialPatterns(value);
        }

        /// <summary>What was done, for example the cmdlet name.</summary>
        public string Action
        {
            get => action;
            set => action = SecretRedactor.RedactCredentialPatterns(value);
        }

        /// <summary>How it ended, for example Succeeded, Failed or NoChange.</summary>
        public string Outcome { get; set; }

        /// <summary>Optional free text.</summary>
        public string Detail
        {
            get => detail;
            set => detail = SecretRedactor.RedactCredentialPatterns(value);
        }

        /// <summary>Optional id tying together the records of one operation (for example one fan-out).</summary>
        public string CorrelationId { get; set; }

        /// <summary>
        /// A copy to show on a console: control characters in every field are written as
        /// escapes (\u001b, \r, \n), so text that came from a host or a user cannot move the
        /// cursor, repaint the screen or forge a line of the listing.
        /// </summary>
        public AuditRecord WithControlCharactersShown() => new AuditRecord
        {
            Time = Time,
            User = DisplayText.Visible(User),
            Target = DisplayText.Visible(Target),
            Action = DisplayText.Visible(Action),
            Outcome = DisplayText.Visible(Outcome),
            Detail = DisplayText.Visible(Detail),
            CorrelationId = DisplayText.Visible(CorrelationId),
        };

        /// <inheritdoc />
        public override string ToString()
        {
            return Time.ToString("u", System.Globalization.CultureInfo.InvariantCulture) + " " + User + " " + Action + " " + Target + ": " + Outcome;
        }
    }
}
