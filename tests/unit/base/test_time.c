/* test_time.c — calendar math (days since 1970-01-01, proleptic Gregorian)
 * round-tripping over a wide range, date validation, and the clocks. */
#include "base/base.h"
#include "unit.h"

#include <string.h>

TEST(time_known_dates)
{
    CHECK_INT(cv_days_from_civil(1970, 1, 1), 0);
    CHECK_INT(cv_days_from_civil(1969, 12, 31), -1);
    CHECK_INT(cv_days_from_civil(1970, 1, 2), 1);
    CHECK_INT(cv_days_from_civil(2000, 1, 1), 10957);
    CHECK_INT(cv_days_from_civil(2000, 3, 1), 11017);
    CHECK_INT(cv_days_from_civil(2024, 2, 29), 19782);
    CHECK_INT(cv_days_from_civil(1900, 3, 1), -25508);
    CHECK_INT(cv_days_from_civil(0, 3, 1), -719468);
    CHECK_INT(cv_days_from_civil(0, 1, 1), -719528);
    CHECK_INT(cv_days_from_civil(-1, 12, 31), -719529);
    CHECK_INT(cv_days_from_civil(9999, 12, 31), 2932896);
    CHECK_INT(cv_days_from_civil(1, 1, 1), -719162);
    int64_t y;
    unsigned m, d;
    cv_civil_from_days(-719529, &y, &m, &d);
    CHECK_INT(y, -1);
    CHECK_UINT(m, 12);
    CHECK_UINT(d, 31);
    cv_civil_from_days(19782, &y, &m, &d);
    CHECK_INT(y, 2024);
    CHECK_UINT(m, 2);
    CHECK_UINT(d, 29);
}

TEST(time_round_trip_wide_range)
{
    /* every day from year -2000 to 4000, and a sparse walk far beyond */
    int64_t py = 0;
    unsigned pm = 0, pd = 0;
    bool first = true;
    for (int64_t z = cv_days_from_civil(-2000, 1, 1); z <= cv_days_from_civil(4000, 12, 31); z++) {
        int64_t y;
        unsigned m, d;
        cv_civil_from_days(z, &y, &m, &d);
        if (!CHECK(cv_valid_date(y, m, d))) return;
        if (!CHECK_INT(cv_days_from_civil(y, m, d), z)) return;
        if (!first) {
            /* consecutive days: the next date follows the previous one */
            bool next_day = y == py && m == pm && d == pd + 1;
            bool next_month = y == py && m == pm + 1 && d == 1;
            bool next_year = y == py + 1 && m == 1 && d == 1 && pm == 12 && pd == 31;
            if (!CHECK(next_day || next_month || next_year)) return;
        }
        first = false;
        py = y;
        pm = m;
        pd = d;
    }
    for (int64_t z = -2000000000LL; z <= 2000000000LL; z += 9999991) {
        int64_t y;
        unsigned m, d;
        cv_civil_from_days(z, &y, &m, &d);
        CHECK(cv_valid_date(y, m, d));
        CHECK_INT(cv_days_from_civil(y, m, d), z);
    }
}

TEST(time_valid_date)
{
    CHECK(cv_valid_date(2024, 2, 29));
    CHECK(!cv_valid_date(2023, 2, 29));
    CHECK(!cv_valid_date(1900, 2, 29));
    CHECK(cv_valid_date(2000, 2, 29));
    CHECK(cv_valid_date(0, 2, 29)); /* year 0 is a leap year */
    CHECK(cv_valid_date(-4, 2, 29));
    CHECK(!cv_valid_date(-1, 2, 29));
    CHECK(!cv_valid_date(-100, 2, 29));
    CHECK(cv_valid_date(-400, 2, 29));
    CHECK(!cv_valid_date(2023, 4, 31));
    CHECK(cv_valid_date(2023, 12, 31));
    CHECK(!cv_valid_date(2023, 1, 32));
    CHECK(!cv_valid_date(2023, 0, 1));
    CHECK(!cv_valid_date(2023, 13, 1));
    CHECK(!cv_valid_date(2023, 1, 0));
    static const unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (unsigned m = 1; m <= 12; m++) {
        CHECK(cv_valid_date(2021, m, mdays[m - 1]));
        CHECK(!cv_valid_date(2021, m, mdays[m - 1] + 1));
    }
}

TEST(time_leap_years_have_366_days)
{
    for (int64_t y = -1000; y <= 3000; y++) {
        bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        int32_t len = cv_days_from_civil(y + 1, 1, 1) - cv_days_from_civil(y, 1, 1);
        if (!CHECK_INT(len, leap ? 366 : 365)) return;
        if (!CHECK(cv_valid_date(y, 2, 29) == leap)) return;
    }
}

TEST(time_clocks)
{
    int64_t a = cv_mono_ns();
    cv_sleep_ms(2);
    int64_t b = cv_mono_ns();
    CHECK(b - a >= 2000000);
    cv_sleep_ms(0);
    cv_sleep_ms(-5);
    CHECK(cv_wall_us() > 1577836800LL * 1000000); /* after 2020-01-01 */
    char out[64];
    cv_format_local_time(0, out);
    CHECK_UINT(strlen(out), 19);
    CHECK_INT(out[4], '-');
    CHECK_INT(out[10], ' ');
}
