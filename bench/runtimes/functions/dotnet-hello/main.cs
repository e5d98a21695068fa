using System;
using Nuclio.Sdk;

public class nuclio
{
    public object Main(Context context, Event eventBase)
    {
        return "hello";
    }
}
