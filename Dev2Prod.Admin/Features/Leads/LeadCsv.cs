using System.Globalization;
using System.Text;
using Dev2Prod.Core.Features.Intake;

namespace Dev2Prod.Admin.Features.Leads;

/// <summary>
/// Leads as CSV (RFC 4180) that is safe to open in a spreadsheet. Customers write the names and descriptions,
/// so any cell starting with a formula trigger (<c>= + - @</c>, tab, carriage return) is prefixed with an
/// apostrophe (OWASP's CSV-injection advice): Excel, LibreOffice and Google Sheets then show it as text.
/// </summary>
public static class LeadCsv
{
    public static readonly string[] Header =
        ["id", "created_at_utc", "category", "score", "band", "status", "customer", "telegram_username", "name", "company", "email", "phone", "budget", "timeline", "description", "conversation_id"];

    public static string Write(IEnumerable<LeadRow> leads)
    {
        var csv = new StringBuilder();
        AppendRow(csv, Header);
        foreach (var lead in leads)
        {
            IntakeAnswers answers;
            try
            {
                answers = IntakeJson.DeserializeAnswers(lead.AnswersJson);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
            {
                answers = new IntakeAnswers();
            }

            AppendRow(csv,
            [
                lead.Id.ToString(CultureInfo.InvariantCulture),
                lead.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                lead.Category,
                lead.Score.ToString(CultureInfo.InvariantCulture),
                lead.Band.ToString(),
                lead.Status.ToString(),
                lead.Customer,
                lead.Username,
                answers.Name,
                answers.Company,
                answers.Email,
                answers.Phone,
                answers.Budget?.ToString(),
                answers.Timeline?.ToString(),
                answers.Description,
                lead.ConversationId.ToString(CultureInfo.InvariantCulture),
            ]);
        }

        return csv.ToString();
    }

    /// <summary>One cell: neutralised against formulas, then quoted when it holds a separator, quote or line break.</summary>
    public static string Cell(string? value)
    {
        var text = value ?? "";
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\n')
        {
            text = "'" + text;
        }

        return text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }

    private static void AppendRow(StringBuilder csv, IEnumerable<string?> cells)
    {
        csv.Append(string.Join(',', cells.Select(Cell)));
        csv.Append("\r\n");
    }
}
