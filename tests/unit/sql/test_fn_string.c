/* test_fn_string.c — SeaTunnel's string functions (src/sql/fn_string.c)
 * through the whole query pipeline: every function with a normal case,
 * NULL, and its edges (empty strings, non-ASCII text, positions out of
 * range). Expected values are what SeaTunnel's Java returns, except where a
 * comment says culvert deliberately differs. The input table is in sqlt.h:
 * row 0 s = 'hello', row 1 s = 'Ünïcødé ✓', row 2 all NULL; n is NULL. */
#include "unit.h"
#include "sql/sqlt.h"

#define EQ(expr, want) CHECK_STR(sqlt_eval(expr), want)
#define EQ_AT(expr, row, want) CHECK_STR(sqlt_eval_at(expr, row), want)
#define FAILS(expr, why)                    \
    do {                                    \
        const char *got_ = sqlt_eval(expr); \
        CHECK_CONTAINS(got_, "ERROR");      \
        CHECK_CONTAINS(got_, why);          \
    } while (0)
#define TYPE(expr, want) CHECK_STR(sqlt_type(expr), want)

TEST(ascii)
{
    EQ("ASCII('Hi')", "72");
    EQ_AT("ASCII(s)", 0, "104");
    EQ_AT("ASCII(s)", 1, "220"); /* Ü */
    EQ_AT("ASCII(s)", 2, "NULL");
    EQ("ASCII(n)", "NULL");
    EQ("ASCII('')", "NULL");    /* Java fails on charAt(0) */
    EQ("ASCII('😀')", "128512"); /* the code point; Java gives the high surrogate 55357 */
    EQ("ASCII(i)", "55");       /* 7 as text */
    TYPE("ASCII(s)", "int");
}

TEST(lengths)
{
    EQ("CHAR_LENGTH('abc')", "3");
    EQ("LENGTH('')", "0");
    EQ_AT("LENGTH(s)", 0, "5");
    EQ_AT("LENGTH(s)", 1, "9");
    EQ_AT("CHAR_LENGTH(s)", 2, "NULL");
    EQ("LENGTH(n)", "NULL");
    EQ("LENGTH('😀')", "1");     /* Java counts UTF-16 units: 2 */
    EQ_AT("LENGTH(i)", 1, "2"); /* '-3' */
    EQ("OCTET_LENGTH('abc')", "3");
    EQ_AT("OCTET_LENGTH(s)", 1, "15");
    EQ("OCTET_LENGTH('')", "0");
    EQ("OCTET_LENGTH(n)", "NULL");
    EQ("BIT_LENGTH('&^^$wef9')", "64");
    EQ_AT("BIT_LENGTH(s)", 1, "120");
    EQ("BIT_LENGTH('')", "0");
    EQ("BIT_LENGTH(n)", "NULL");
    TYPE("LENGTH(s)", "bigint");
    TYPE("CHAR_LENGTH(s)", "bigint");
    TYPE("OCTET_LENGTH(s)", "bigint");
    TYPE("BIT_LENGTH(s)", "bigint");
}

TEST(chr)
{
    EQ("CHAR(98)", "b");
    EQ("CHR(65)", "A");
    EQ("CHR(233)", "é");
    EQ("CHR(10003)", "✓");
    EQ("CHR(128512)", "😀"); /* Java keeps the low 16 bits: U+F600 */
    EQ_AT("CHR(i)", 0, "\a");
    EQ_AT("CHR(i)", 2, "NULL");
    FAILS("CHR(-1)", "not a Unicode code point");
    FAILS("CHR(55296)", "not a Unicode code point"); /* a surrogate */
    FAILS("CHR(1114112)", "not a Unicode code point");
    TYPE("CHR(65)", "string");
}

TEST(concat)
{
    EQ("CONCAT('a', 'b', 'c')", "abc");
    EQ("CONCAT('a', NULL, 'b')", "ab");
    EQ("CONCAT(NULL, NULL)", "");
    EQ("CONCAT(n, n)", "");
    EQ_AT("CONCAT(s, i, '!')", 0, "hello7!");
    EQ_AT("CONCAT(s, i, '!')", 2, "!");
    EQ_AT("CONCAT(s, '|', s)", 1, "Ünïcødé ✓|Ünïcødé ✓");
    EQ_AT("CONCAT(s, '-', dt)", 0, "hello-2024-02-29");
    EQ_AT("CONCAT(d)", 0, "2.5");
    EQ("CONCAT('')", "");
    TYPE("CONCAT(s, i)", "string");
}

TEST(concat_ws)
{
    EQ("CONCAT_WS(',', 'a', 'b')", "a,b");
    EQ("CONCAT_WS(',', 'a', NULL, 'b')", "a,b");
    EQ("CONCAT_WS(NULL, 'a', 'b')", "ab");
    EQ("CONCAT_WS(',', n, n)", "");
    EQ("CONCAT_WS(',')", "");
    EQ("CONCAT_WS('', 'a', 'b')", "ab");
    EQ("CONCAT_WS(' ✓ ', 'a', 'b')", "a ✓ b");
    EQ_AT("CONCAT_WS(',', i, d, s)", 0, "7,2.5,hello");
    EQ_AT("CONCAT_WS(',', i, d, s)", 2, "");
    /* arrays join their non-NULL elements (newer SeaTunnel) */
    EQ_AT("CONCAT_WS('-', arr, 'x')", 0, "1-2-3-x");
    EQ_AT("CONCAT_WS('-', arr, 'x')", 1, "-x");
    EQ_AT("CONCAT_WS('-', arr, 'x')", 2, "x");
    TYPE("CONCAT_WS(',', s, i)", "string");
}

TEST(hextoraw)
{
    EQ("HEXTORAW('0037')", "7");
    EQ("HEXTORAW('00410042')", "AB");
    EQ("HEXTORAW('00E9')", "é");
    EQ("HEXTORAW('d83dde00')", "😀"); /* a surrogate pair */
    EQ("HEXTORAW('')", "");
    EQ("HEXTORAW(n)", "NULL");
    FAILS("HEXTORAW('123')", "multiple of 4");
    FAILS("HEXTORAW('zz00')", "not 4 hex digits");
    FAILS("HEXTORAW('d83d')", "surrogate");
    FAILS("HEXTORAW('de000041')", "surrogate");
    TYPE("HEXTORAW('0041')", "string");
}

TEST(rawtohex)
{
    EQ("RAWTOHEX('7')", "0037");
    EQ("RAWTOHEX('é')", "00e9");
    EQ("RAWTOHEX('😀')", "d83dde00"); /* UTF-16 units, as Java */
    EQ("RAWTOHEX('')", "");
    EQ_AT("RAWTOHEX(by)", 0, "616263"); /* bytes: two digits a byte */
    EQ_AT("RAWTOHEX(by)", 1, "");
    EQ_AT("RAWTOHEX(i)", 0, "0037");
    EQ("RAWTOHEX(n)", "NULL");
    EQ_AT("RAWTOHEX(by)", 2, "NULL");
    EQ_AT("HEXTORAW(RAWTOHEX(s))", 1, "Ünïcødé ✓");
    TYPE("RAWTOHEX(by)", "string");
}

TEST(insert)
{
    EQ("INSERT('Joy Ding', 2, 2, '**')", "J** Ding");
    EQ("INSERT('hello', 1, 1, 'J')", "Jello");
    EQ("INSERT('hello', 6, 1, 'X')", "helloX");
    EQ("INSERT('hello', 7, 1, 'X')", "hello");
    EQ("INSERT('hello', 0, 1, 'X')", "hello");
    EQ("INSERT('hello', 2, 0, 'X')", "hello"); /* length <= 0 changes nothing */
    EQ("INSERT('hello', 2, 100, 'X')", "hX");
    EQ("INSERT('hello', 2, 1, '')", "hello");
    EQ_AT("INSERT(s, 2, 1, 'N')", 1, "ÜNïcødé ✓");
    EQ("INSERT(n, 1, 1, 'X')", "X");
    EQ("INSERT('abc', 1, 1, n)", "abc");
    EQ("INSERT(n, 1, 1, n)", "NULL");
    EQ_AT("INSERT('abc', i, 1, 'X')", 2, "NULL");
    TYPE("INSERT(s, 1, 1, s)", "string");
}

TEST(case_mapping)
{
    EQ("LOWER('Joy Ding')", "joy ding");
    EQ("UPPER('Joy Ding')", "JOY DING");
    EQ("LCASE('ABC')", "abc");
    EQ("UCASE('abc')", "ABC");
    EQ_AT("UPPER(s)", 1, "ÜNÏCØDÉ ✓");
    EQ_AT("LOWER(UPPER(s))", 1, "ünïcødé ✓");
    EQ("LOWER('ÀÉÎÕÜ')", "àéîõü");
    EQ("UPPER('straße')", "STRASSE");
    EQ("UPPER('привет')", "ПРИВЕТ");
    EQ("LOWER('ΣΟΦΟΣ')", "σοφος"); /* final sigma, as Java */
    EQ("LOWER('İ')", "i\xcc\x87"); /* i and a combining dot, as Java */
    EQ("UPPER('')", "");
    EQ("UPPER(n)", "NULL");
    EQ_AT("LOWER(s)", 2, "NULL");
    EQ("UPPER('日本')", "日本");
    TYPE("UPPER(s)", "string");
    TYPE("LCASE(s)", "string");
}

TEST(left_right)
{
    EQ("LEFT('Joy Ding', 3)", "Joy");
    EQ("RIGHT('Joy Ding', 4)", "Ding");
    EQ_AT("LEFT(s, 100)", 0, "hello");
    EQ_AT("RIGHT(s, 100)", 0, "hello");
    EQ("LEFT('abc', 0)", "");
    EQ("RIGHT('abc', 0)", "");
    EQ("LEFT('abc', -1)", ""); /* Java fails */
    EQ("RIGHT('abc', -1)", "");
    EQ_AT("LEFT(s, 3)", 1, "Ünï");
    EQ_AT("RIGHT(s, 3)", 1, "é ✓");
    EQ("LEFT('', 2)", "");
    EQ("LEFT(n, 1)", "NULL");
    EQ_AT("RIGHT('abc', i)", 2, "NULL");
    TYPE("LEFT(s, 1)", "string");
    TYPE("RIGHT(s, 1)", "string");
}

TEST(locate)
{
    EQ("LOCATE('.', 'a.b.c')", "2");
    EQ("LOCATE('.', 'a.b.c', 3)", "4");
    EQ("LOCATE('.', 'a.b.c', 0)", "2");
    EQ("LOCATE('.', 'a.b.c', -1)", "4"); /* the rightmost at or before the last character */
    EQ("LOCATE('.', 'a.b.c', -3)", "2");
    EQ("LOCATE('.', 'a.b.c', -6)", "0");
    EQ("LOCATE('x', 'abc')", "0");
    EQ("LOCATE('c', 'abc', 10)", "0");
    EQ("LOCATE('', 'abc')", "1");
    EQ("LOCATE('', 'abc', 10)", "4");
    EQ_AT("LOCATE('✓', s)", 1, "9");
    EQ_AT("LOCATE('c', s, 3)", 1, "4");
    EQ("LOCATE('a', n)", "0"); /* SeaTunnel: a NULL string gives 0 */
    EQ("LOCATE(n, 'abc')", "NULL");
    EQ_AT("LOCATE('a', 'abc', i)", 2, "NULL");
    EQ("POSITION('l', 'hello')", "3");
    EQ("POSITION('z', 'hello')", "0");
    EQ("POSITION('a', n)", "0");
    EQ("INSTR('hello', 'l')", "3");
    EQ("INSTR('hello', 'l', 4)", "4");
    EQ("INSTR('hello', 'l', -1)", "4");
    EQ("INSTR('hello', 'lo', -1)", "4");
    EQ("INSTR('hello', 'lo', -2)", "4");
    EQ("INSTR('hello', 'lo', -3)", "0");
    EQ("INSTR(n, 'a')", "0");
    EQ("INSTR('abc', n)", "NULL");
    EQ_AT("INSTR(s, 'ø')", 1, "5");
    TYPE("LOCATE('a', s)", "int");
    TYPE("POSITION('a', s)", "int");
    TYPE("INSTR(s, 'a')", "int");
}

TEST(pad)
{
    EQ("LPAD('Joy Ding', 10, '*')", "**Joy Ding");
    EQ("RPAD('Joy Ding', 10, '*')", "Joy Ding**");
    EQ("LPAD('abc', 5)", "  abc");
    EQ("RPAD('abc', 5)", "abc  ");
    EQ("LPAD('abc', 2)", "ab"); /* cut at the end, both sides */
    EQ("RPAD('abc', 2)", "ab");
    EQ("LPAD('abc', 3, '*')", "abc");
    EQ("LPAD('abc', 6, 'xy')", "xxxabc"); /* only the first character pads */
    EQ("LPAD('abc', -1, '*')", "");
    EQ("LPAD('abc', 5, NULL)", "  abc");
    EQ("RPAD('abc', 5, '')", "abc  ");
    EQ("LPAD('é', 3, '✓')", "✓✓é");
    EQ_AT("RPAD(s, 10, '.')", 1, "Ünïcødé ✓.");
    EQ_AT("LPAD(s, 4)", 1, "Ünïc");
    EQ("LPAD(n, 5)", "NULL");
    EQ_AT("RPAD('a', i)", 2, "NULL");
    FAILS("LPAD('a', 2147483647, '✓')", "MiB");
    TYPE("LPAD(s, 3)", "string");
    TYPE("RPAD(s, 3, '*')", "string");
}

TEST(trim)
{
    EQ("LTRIM('*Joy_Ding@s.com*', '*')", "Joy_Ding@s.com*");
    EQ("RTRIM('*Joy_Ding@s.com*', '*')", "*Joy_Ding@s.com");
    EQ("TRIM('*Joy_Ding@s.com*', '*')", "Joy_Ding@s.com");
    EQ("TRIM('  a b  ')", "a b");
    EQ("LTRIM('  a  ')", "a  ");
    EQ("RTRIM('  a  ')", "  a");
    EQ("TRIM('xyxa', 'xy')", "yxa"); /* only the first character of the set */
    EQ("TRIM('  a  ', NULL)", "a");
    EQ("TRIM('  a  ', '')", "a");
    EQ("TRIM('✓✓a✓', '✓')", "a");
    EQ("TRIM('   ')", "");
    EQ("TRIM('')", "");
    EQ_AT("TRIM(s, 'Ü')", 1, "nïcødé ✓");
    EQ("TRIM(n)", "NULL");
    EQ("LTRIM(n, '*')", "NULL");
    EQ_AT("RTRIM(s)", 2, "NULL");
    TYPE("TRIM(s)", "string");
}

TEST(regexp_replace)
{
    EQ("REGEXP_REPLACE('Hello    World', ' +', ' ')", "Hello World");
    EQ("REGEXP_REPLACE('Hello WWWWorld', 'w+', 'W', 'i')", "Hello World");
    EQ("REGEXP_REPLACE('Joy_WWWDing@s.com', 'w+', 'W', 'i')", "Joy_WDing@s.com");
    EQ("REGEXP_REPLACE('ABC', 'b', 'x', 'ic')", "ABC"); /* later flags win */
    EQ("REGEXP_REPLACE('ABC', 'b', 'x', 'ci')", "AxC");
    EQ("REGEXP_REPLACE('2020-10-01', '(\\d+)-(\\d+)-(\\d+)', '$3/$2/$1')", "01/10/2020");
    EQ("REGEXP_REPLACE('2020', '(?<y>\\d{2})', '<${y}>')", "<20><20>");
    EQ("REGEXP_REPLACE('a.b', '\\.', '\\$')", "a$b");
    EQ("REGEXP_REPLACE('ab', '(a)', '$10')", "a0b"); /* $1 then '0': there is no group 10 */
    EQ("REGEXP_REPLACE('abc', 'x*', '-')", "-a-b-c-");
    EQ("REGEXP_REPLACE('baaac', 'a*', '-')", "-b--c-"); /* Java's empty-match rule */
    EQ("REGEXP_REPLACE('abc', 'z', 'x')", "abc");
    EQ("REGEXP_REPLACE('', '^', 'x')", "x");
    EQ_AT("REGEXP_REPLACE(s, '[^a-z ]', '_')", 1, "_n_c_d_ _");
    EQ_AT("REGEXP_REPLACE(s, '.', '.')", 1, ".........");
    EQ("REGEXP_REPLACE('ÜBER', 'ü', 'u', 'i')", "uBER");
    EQ("REGEXP_REPLACE('a✓b', '\\u2713', '-')", "a-b");
    EQ("REGEXP_REPLACE('a✓b', '\\x{2713}', '-')", "a-b");
    EQ("REGEXP_REPLACE(CONCAT('a', CHR(10), 'b'), '^', '>', 'm')", ">a\n>b");
    EQ("REGEXP_REPLACE(CONCAT('a', CHR(10), 'b'), 'a.b', 'x', 'n')", "x");
    EQ("REGEXP_REPLACE(CONCAT('a', CHR(10), 'b'), 'a.b', 'x')", "a\nb");
    EQ_AT("REGEXP_REPLACE(s, s, 'x')", 0, "x"); /* a pattern that varies per row */
    EQ_AT("REGEXP_REPLACE(s, s, 'x')", 1, "x");
    EQ("REGEXP_REPLACE(n, 'a', 'b')", "NULL");
    EQ("REGEXP_REPLACE('abc', n, 'x')", "NULL");
    EQ("REGEXP_REPLACE('abc', 'b', n)", "NULL");
    EQ("REGEXP_REPLACE('abc', 'B', 'x', n)", "abc"); /* NULL flags: the defaults */
    FAILS("REGEXP_REPLACE('abc', '(', 'x')", "invalid regular expression");
    FAILS("REGEXP_REPLACE(s, '(', 'x')", "invalid regular expression");
    FAILS("REGEXP_REPLACE(s, 'b', 'x', 'g')", "unsupported regexp flags");
    FAILS("REGEXP_REPLACE('abc', 'b', '$2')", "group 2");
    FAILS("REGEXP_REPLACE('abc', 'b', '$x')", "group number");
    FAILS("REGEXP_REPLACE('abc', 'b', 'x\\')", "lone");
    FAILS("REGEXP_REPLACE('abc', 'b', '${nope}')", "no group named");
    FAILS("REGEXP_REPLACE(s, s, 'x', s)", "unsupported regexp flags");
    TYPE("REGEXP_REPLACE(s, 'a', 'b')", "string");
}

TEST(regexp_like)
{
    EQ("REGEXP_LIKE('Hello    World', '[A-Z ]*', 'i')", "true");
    EQ("REGEXP_LIKE('abc', 'b')", "true"); /* anywhere, like Matcher.find */
    EQ("REGEXP_LIKE('abc', '^b')", "false");
    EQ("REGEXP_LIKE('ABC', 'b', 'i')", "true");
    EQ("REGEXP_LIKE('ABC', 'b', 'ic')", "false");
    EQ("REGEXP_LIKE('', '^$')", "true");
    EQ_AT("REGEXP_LIKE(s, '^\\w+$')", 0, "true");
    EQ_AT("REGEXP_LIKE(s, '^\\w+$')", 1, "false"); /* \w is ASCII, as in Java */
    EQ_AT("REGEXP_LIKE(s, '^.{9}$')", 1, "true");
    EQ_AT("REGEXP_LIKE(s, 'ünï', 'i')", 1, "true");
    EQ("REGEXP_LIKE(n, 'a')", "NULL");
    EQ("REGEXP_LIKE('abc', n)", "NULL");
    EQ("REGEXP_LIKE('abc', 'B', n)", "false");
    FAILS("REGEXP_LIKE('abc', '[a-')", "invalid regular expression");
    FAILS("REGEXP_LIKE('abc', 'a', 'x')", "unsupported regexp flags");
    TYPE("REGEXP_LIKE(s, 'a')", "boolean");
}

TEST(regexp_substr)
{
    EQ("REGEXP_SUBSTR('2020-10-01', '\\d{4}')", "2020");
    EQ("REGEXP_SUBSTR('2020-10-01', '(\\d{4})-(\\d{2})-(\\d{2})', 1, 1, NULL, 2)", "10");
    EQ("REGEXP_SUBSTR('a1b22c333', '\\d+', 1, 2, NULL, 0)", "22");
    EQ("REGEXP_SUBSTR('a1b22c333', '\\d+', 1, 3, NULL, 0)", "333");
    EQ("REGEXP_SUBSTR('a1b22c333', '\\d+', 1, 4, NULL, 0)", "NULL");
    EQ("REGEXP_SUBSTR('a1b22c333', '\\d+', 5, 1, NULL, 0)", "2");
    EQ("REGEXP_SUBSTR('a1b22c333', '\\d+', 1, 0, NULL, 0)", "1"); /* occurrence < 1: the first */
    EQ("REGEXP_SUBSTR('a1b2', '\\d', 3)", "2");                   /* SeaTunnel answers NULL for 3 to 5 arguments */
    EQ("REGEXP_SUBSTR('aXb', 'x', 1, 1, 'i', 0)", "X");
    EQ("REGEXP_SUBSTR('ab', '(x)?b', 1, 1, NULL, 1)", "NULL"); /* the group took no part */
    EQ("REGEXP_SUBSTR('abc', 'z')", "NULL");
    EQ("REGEXP_SUBSTR('abc', 'c', 4, 1, NULL, 0)", "NULL");
    EQ_AT("REGEXP_SUBSTR(s, '.', 2, 1, NULL, 0)", 1, "n");
    EQ_AT("REGEXP_SUBSTR(s, '[^ ]+$')", 1, "✓");
    EQ("REGEXP_SUBSTR(n, 'a')", "NULL");
    EQ("REGEXP_SUBSTR('abc', n)", "NULL");
    EQ("REGEXP_SUBSTR('abc', 'b', NULL, NULL, NULL, NULL)", "b");
    FAILS("REGEXP_SUBSTR('abc', 'b', 0, 1, NULL, 0)", "position 0");
    FAILS("REGEXP_SUBSTR('abc', 'b', 5, 1, NULL, 0)", "position 5");
    FAILS("REGEXP_SUBSTR('abc', '(b)', 1, 1, NULL, 2)", "no group 2");
    FAILS("REGEXP_SUBSTR('abc', 'b', 1, 1, 'q', 0)", "unsupported regexp flags");
    TYPE("REGEXP_SUBSTR(s, 'a')", "string");
}

TEST(repeat_space)
{
    EQ("REPEAT('ab', 3)", "ababab");
    EQ("REPEAT('ab', 1)", "ab");
    EQ("REPEAT('ab', 0)", "");
    EQ("REPEAT('ab', -1)", "");
    EQ("REPEAT('', 5)", "");
    EQ("REPEAT('✓', 2)", "✓✓");
    EQ_AT("REPEAT(s, 2)", 1, "Ünïcødé ✓Ünïcødé ✓");
    EQ("REPEAT(n, 2)", "NULL");
    EQ_AT("REPEAT('a', i)", 2, "NULL");
    FAILS("REPEAT('abc', 1000000000)", "MiB");
    EQ("SPACE(3)", "   ");
    EQ("SPACE(0)", "");
    EQ("SPACE(-1)", "");
    EQ_AT("CONCAT('[', SPACE(i), ']')", 0, "[       ]");
    EQ_AT("SPACE(i)", 2, "NULL");
    FAILS("SPACE(2147483647)", "MiB");
    TYPE("REPEAT(s, 2)", "string");
    TYPE("SPACE(3)", "string");
}

TEST(replace)
{
    EQ("REPLACE('Joy Ding', ' ', '_')", "Joy_Ding");
    EQ("REPLACE('aaa', 'a')", "");
    EQ("REPLACE('aaaa', 'aa', 'b')", "bb");
    EQ("REPLACE('abc', '', 'x')", "abc");
    EQ("REPLACE('abc', 'z', 'x')", "abc");
    EQ("REPLACE('abc', 'b', n)", "ac"); /* a NULL replacement removes */
    EQ("REPLACE('', 'a', 'b')", "");
    EQ_AT("REPLACE(s, 'ø', 'o')", 1, "Ünïcodé ✓");
    EQ_AT("REPLACE(s, 'l', 'L')", 0, "heLLo");
    EQ("REPLACE(n, 'a', 'b')", "NULL");
    EQ("REPLACE('abc', n, 'x')", "NULL");
    TYPE("REPLACE(s, 'a', 'b')", "string");
}

TEST(soundex)
{
    EQ("SOUNDEX('Joy Ding')", "J352");
    EQ("SOUNDEX('Robert')", "R163");
    EQ("SOUNDEX('Rupert')", "R163");
    EQ("SOUNDEX('Tymczak')", "T522");
    EQ("SOUNDEX('Ashcraft')", "A261"); /* h does not separate equal codes */
    EQ("SOUNDEX('Pfister')", "P236");
    EQ("SOUNDEX('a')", "A000");
    EQ("SOUNDEX('')", "0000");
    EQ("SOUNDEX('123')", "0000");
    EQ_AT("SOUNDEX(s)", 1, "N230"); /* only ASCII letters count */
    EQ("SOUNDEX(n)", "NULL");
    TYPE("SOUNDEX(s)", "string");
}

TEST(substring)
{
    EQ("SUBSTRING('[Hello]', 2)", "Hello]");
    EQ("SUBSTRING('hour', 3, 2)", "ur");
    EQ("SUBSTR('Joy Ding', 1, 3)", "Joy");
    EQ("SUBSTR('hello', -3)", "llo");
    EQ("SUBSTR('hello', -3, 2)", "ll");
    EQ("SUBSTRING('hello', 0)", "hello");
    EQ("SUBSTRING('hello', 0, 2)", "he");
    EQ("SUBSTRING('hello', -10)", "hello");
    EQ("SUBSTRING('hello', -10, 8)", "hel");
    EQ("SUBSTRING('hello', 2, 100)", "ello");
    EQ("SUBSTRING('hello', 5)", "o");
    EQ("SUBSTRING('hello', 6)", "NULL"); /* out of range is NULL, not '' */
    EQ("SUBSTRING('hello', 2, 0)", "NULL");
    EQ("SUBSTRING('hello', 2, -1)", "NULL");
    EQ("SUBSTRING('', 1)", "NULL");
    EQ("SUBSTRING('hello', 2, NULL)", "ello");       /* NULL length: to the end */
    EQ("SUBSTRING('hello', 2, 2147483647)", "ello"); /* Java's int overflow gives NULL */
    EQ_AT("SUBSTRING(s, 2, 3)", 1, "nïc");
    EQ_AT("SUBSTR(s, -1)", 1, "✓");
    EQ("SUBSTRING(n, 1)", "NULL");
    EQ_AT("SUBSTRING('hello', i)", 2, "NULL");
    TYPE("SUBSTRING(s, 1)", "string");
    TYPE("SUBSTR(s, 1, 2)", "string");
}

TEST(to_char)
{
    EQ_AT("TO_CHAR(i)", 0, "7");
    EQ_AT("TO_CHAR(l)", 0, "10000000000");
    EQ_AT("TO_CHAR(d)", 0, "2.5");
    EQ_AT("TO_CHAR(dec)", 0, "12.34");
    EQ_AT("TO_CHAR(b)", 0, "true");
    EQ_AT("TO_CHAR(s)", 1, "Ünïcødé ✓");
    EQ_AT("TO_CHAR(ts, 'yyyy-MM-dd')", 0, "2024-02-29");
    EQ_AT("TO_CHAR(ts, 'yyyy-MM-dd HH:mm:ss.SSS')", 0, "2024-02-29 13:45:30.123");
    EQ_AT("TO_CHAR(ts, 'HH:mm:ss')", 1, "23:59:59");
    EQ_AT("TO_CHAR(dt, 'dd/MM/yyyy')", 0, "29/02/2024");
    EQ_AT("TO_CHAR(tm, 'HH-mm')", 0, "13-45");
    EQ_AT("TO_CHAR(ts)", 0, "2024-02-29T13:45:30.123456"); /* Java fails without a pattern */
    /* a pattern that varies per row */
    EQ_AT("TO_CHAR(ts, CASE WHEN i > 0 THEN 'yyyy' ELSE 'MM' END)", 0, "2024");
    EQ_AT("TO_CHAR(ts, CASE WHEN i > 0 THEN 'yyyy' ELSE 'MM' END)", 1, "12");
    CHECK_CONTAINS(sqlt_eval_at("TO_CHAR(dt, CASE WHEN i > 0 THEN 'yyyy' ELSE 'HH' END)", 1), "no time fields");
    EQ_AT("TO_CHAR(ts, n)", 0, "NULL");
    EQ("TO_CHAR(n)", "NULL");
    EQ_AT("TO_CHAR(ts, 'yyyy')", 2, "NULL");
    FAILS("TO_CHAR(dt, 'HH:mm')", "no time fields");
    FAILS("TO_CHAR(tm, 'yyyy')", "no date fields");
    TYPE("TO_CHAR(i)", "string");
    TYPE("TO_CHAR(ts, 'yyyy')", "string");
}

TEST(translate)
{
    EQ("TRANSLATE('Joy Ding', 'ing', 'ING')", "Joy DING");
    EQ("TRANSLATE('Hello world', 'eo', 'EO')", "HEllO wOrld");
    EQ("TRANSLATE('abc', 'abc', 'x')", "xbc"); /* as SeaTunnel: no place in `to`, no change */
    EQ("TRANSLATE('aba', 'aa', 'xy')", "xbx");
    EQ("TRANSLATE('abc', 'b', n)", "abc");
    EQ("TRANSLATE('', 'a', 'b')", "");
    EQ("TRANSLATE('abc', '', 'x')", "abc");
    EQ_AT("TRANSLATE(s, 'Üø✓', 'UOv')", 1, "UnïcOdé v");
    EQ_AT("TRANSLATE(s, 'lo', '10')", 0, "he110");
    EQ("TRANSLATE(n, 'a', 'b')", "NULL");
    EQ("TRANSLATE('abc', n, 'x')", "NULL");
    TYPE("TRANSLATE(s, 'a', 'b')", "string");
}

TEST(split)
{
    EQ("SPLIT('a,b,c', ',')", "[a, b, c]");
    EQ("SPLIT('a,b,,', ',')", "[a, b]"); /* trailing empty pieces go */
    EQ("SPLIT(',a', ',')", "[, a]");
    EQ("SPLIT('a,,b', ',')", "[a, , b]");
    EQ("SPLIT('abc', ',')", "[abc]");
    EQ("SPLIT(',', ',')", "[]");
    EQ("SPLIT('abc', '')", "[a, b, c]");
    EQ("SPLIT('abc')", "[a, b, c]");
    EQ("SPLIT('a1b22c', '\\d+')", "[a, b, c]"); /* the delimiter is a regular expression */
    EQ("SPLIT('a|b', '|')", "[a, |, b]");
    EQ("SPLIT('a.b', '\\.')", "[a, b]");
    EQ_AT("SPLIT(s, ' ')", 1, "[Ünïcødé, ✓]");
    EQ_AT("SPLIT(s, '')", 1, "[Ü, n, ï, c, ø, d, é,  , ✓]");
    EQ("SPLIT('', ',')", "NULL");
    EQ("SPLIT(n, ',')", "NULL");
    EQ("SPLIT('a,b', n)", "NULL");
    FAILS("SPLIT('a', '(')", "invalid regular expression");
    TYPE("SPLIT(s, ',')", "array<string>");
}

/* Each row of a batch with its own pattern, flags and replacement: the
 * per-batch pattern cache must not mix them up. */
TEST(regexp_row_patterns)
{
    const char *got = sqlt_query("SELECT REGEXP_REPLACE(s, CONCAT('^', LEFT(s, 1)), '#') AS v FROM t");
    CHECK_CONTAINS(got, "+I|#ello");
    CHECK_CONTAINS(got, "+I|#nïcødé ✓");
    got = sqlt_query("SELECT REGEXP_LIKE(s, '^[a-z]+$', CASE WHEN i > 0 THEN 'c' ELSE 'i' END) AS v FROM t");
    CHECK_CONTAINS(got, "+I|true");
    CHECK_CONTAINS(got, "+I|false");
}

/* Whole batches: column arguments over every row at once, the NULL row
 * included, and constant patterns shared by all rows. */
TEST(batches)
{
    CHECK_STR(sqlt_query("SELECT UPPER(s) AS a, LENGTH(s) AS b, SPLIT(s, ' ') AS c, "
                         "REGEXP_REPLACE(s, '[aeiouï]', '*') AS d, LPAD(s, 7, '.') AS e, LOCATE('l', s) AS f FROM t"),
              "+I|HELLO|5|[hello]|h*ll*|..hello|3\n"
              "+I|ÜNÏCØDÉ ✓|9|[Ünïcødé, ✓]|Ün*cødé ✓|Ünïcødé|0\n"
              "+I|NULL|NULL|NULL|NULL|NULL|0\n");
    CHECK_STR(sqlt_query("SELECT s FROM t WHERE REGEXP_LIKE(s, '^h')"), "+I|hello\n");
    CHECK_STR(sqlt_query("SELECT CONCAT(s, '!') AS a, SUBSTRING(s, 2, 3) AS b FROM t WHERE i IS NOT NULL"),
              "+I|hello!|ell\n+I|Ünïcødé ✓!|nïc\n");
}
