using System.Management.Automation;
using System.Security;

namespace RemoteOps.Infrastructure
{
    /// <summary>
    /// Refuses a plain-text string for a SecureString parameter with a message that says why and
    /// what to do, never the value.
    /// </summary>
    /// <remarks>
    /// Without it, a compiled cmdlet's parameter bound from a piped property (a Password column
    /// of Import-Csv) that cannot be converted is silently left unbound: the row would go on
    /// without its password. A transformation that throws makes PowerShell refuse the row instead.
    /// </remarks>
    public sealed class SecureStringOnlyAttribute : ArgumentTransformationAttribute
    {
        /// <inheritdoc />
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value is string)
            {
                throw new ArgumentTransformationMetadataException(
                    "A plain-text password is not accepted, and this row was not sent: its Password value is a string (for example a Password column of Import-Csv). "
                    + "Give passwords as SecureString (a Password property that is a SecureString, or -Password from Get-Secret or Read-Host -AsSecureString), "
                    + "or remove the Password column and use -GeneratePassword.");
            }

            return value is SecureString ? value : inputData;
        }
    }
}
